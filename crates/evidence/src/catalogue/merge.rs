//! One PDF from the catalogue's pages and the evidence PDFs (as the paper pipeline writes
//! them, or any other readable PDF): pages in order under one page tree, bookmarks to the
//! catalogue and each item, page labels i, ii, … then 1, 2, …, and, when every evidence PDF
//! declares an output intent (as PDF/A files do), the first one's intent and a PDF/A-2b
//! identification, since the catalogue pages add only embedded fonts and opaque black lines.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::font::CatalogueFont;
use super::layout::{self, Draw, Drawn, PAGE_HEIGHT, PAGE_WIDTH};
use super::{Language, PlacedItem};
use crate::error::EvidenceError;

/// An evidence PDF, read and checked.
pub struct Input {
    path: PathBuf,
    doc: Document,
}

impl Input {
    pub fn load(path: &Path) -> Result<Self, EvidenceError> {
        let bytes = std::fs::read(path).map_err(|source| EvidenceError::File {
            path: path.to_owned(),
            source,
        })?;
        let unreadable = |cause: String| EvidenceError::PdfInput {
            path: path.to_owned(),
            cause,
        };
        let doc = Document::load_mem(&bytes).map_err(|e| unreadable(e.to_string()))?;
        if doc.is_encrypted() {
            return Err(unreadable(
                "it is encrypted; remove the password first".into(),
            ));
        }
        if doc.get_pages().is_empty() {
            return Err(unreadable("it has no pages".into()));
        }
        Ok(Self {
            path: path.to_owned(),
            doc,
        })
    }

    pub fn pages(&self) -> usize {
        self.doc.get_pages().len()
    }
}

/// Attributes a page may inherit from its page tree (ISO 32000-1 7.7.3.4); they are copied onto
/// the page because its old tree is left behind.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

fn flatten_inherited(doc: &mut Document, page: ObjectId) {
    let mut found: Vec<(&[u8], Object)> = Vec::new();
    let mut parent = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Parent").ok())
        .and_then(|p| p.as_reference().ok());
    // A page tree is shallow; the bound guards against a cycle in a damaged file.
    for _ in 0..64 {
        let Some(id) = parent else { break };
        let Ok(node) = doc.get_dictionary(id) else {
            break;
        };
        for key in INHERITED {
            if found.iter().all(|(k, _)| *k != key)
                && let Ok(value) = node.get(key)
            {
                found.push((key, value.clone()));
            }
        }
        parent = node.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
    }
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        for (key, value) in found {
            if !dict.has(key) {
                dict.set(key, value);
            }
        }
    }
}

/// A PDF text string: UTF-16BE with its byte order mark, so Chinese titles survive.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn number(value: f32) -> String {
    format!("{value:.2}")
}

fn content(page: &[Draw], cids: &BTreeMap<u16, u16>) -> Vec<u8> {
    let mut ops = String::from("0 G 0 g 0.6 w\n");
    for draw in page {
        match draw {
            Draw::Line { from, to } => {
                let _ = writeln!(
                    ops,
                    "{} {} m {} {} l S",
                    number(from.0),
                    number(from.1),
                    number(to.0),
                    number(to.1)
                );
            }
            Draw::Text { x, y, size, glyphs } => {
                let _ = write!(
                    ops,
                    "BT /F1 {} Tf {} {} Td <",
                    number(*size),
                    number(*x),
                    number(*y)
                );
                for glyph in glyphs {
                    let _ = write!(ops, "{:04X}", cids.get(glyph).copied().unwrap_or(0));
                }
                ops.push_str("> Tj ET\n");
            }
        }
    }
    ops.into_bytes()
}

/// The outline: the catalogue, then one entry per item at its first page.
fn outline(doc: &mut Document, entries: &[(String, ObjectId)]) -> ObjectId {
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    for (n, ((title, page), id)) in entries.iter().zip(&ids).enumerate() {
        let mut item = Dictionary::new();
        item.set("Title", text_string(title));
        item.set("Parent", root);
        item.set(
            "Dest",
            vec![Object::Reference(*page), Object::Name(b"Fit".to_vec())],
        );
        if n > 0 {
            item.set("Prev", ids[n - 1]);
        }
        if let Some(next) = ids.get(n + 1) {
            item.set("Next", *next);
        }
        doc.objects.insert(*id, Object::Dictionary(item));
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", "Outlines");
    if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
        outlines.set("First", *first);
        outlines.set("Last", *last);
    }
    outlines.set("Count", count(ids.len()));
    doc.objects.insert(root, Object::Dictionary(outlines));
    root
}

fn xmp_metadata() -> Stream {
    let xmp = concat!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n",
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n",
        "<pdf:Producer>Litigant</pdf:Producer>\n",
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>"
    );
    let mut dict = Dictionary::new();
    dict.set("Type", "Metadata");
    dict.set("Subtype", "XML");
    Stream::new(dict, xmp.as_bytes().to_vec())
}

/// Moves every evidence PDF's objects into `doc` and its pages under `pages_id`, after `kids`.
/// Returns the first output intent when every input has one.
fn append_evidence(
    doc: &mut Document,
    inputs: Vec<Input>,
    pages_id: ObjectId,
    kids: &mut Vec<ObjectId>,
) -> Result<Option<Object>, EvidenceError> {
    let mut output_intent = None;
    let mut every_input_has_intent = true;
    for mut input in inputs {
        input.doc.renumber_objects_with(doc.max_id + 1);
        let root = input
            .doc
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|e| EvidenceError::PdfInput {
                path: input.path.clone(),
                cause: format!("it has no document catalog: {e}"),
            })?;
        let intent = input
            .doc
            .get_dictionary(root)
            .ok()
            .and_then(|c| c.get(b"OutputIntents").ok().cloned());
        every_input_has_intent &= intent.is_some();
        if output_intent.is_none() {
            output_intent = intent;
        }
        let pages: Vec<ObjectId> = input.doc.get_pages().into_values().collect();
        for &page in &pages {
            flatten_inherited(&mut input.doc, page);
            if let Ok(dict) = input.doc.get_dictionary_mut(page) {
                dict.set("Parent", pages_id);
                // The old structure tree is left behind, so nothing may point into it.
                // Annotations stay: a stamp or note on a page is part of the evidence.
                dict.remove(b"StructParents");
            }
        }
        doc.max_id = doc.max_id.max(input.doc.max_id);
        input.doc.objects.remove(&root);
        doc.objects.extend(input.doc.objects);
        kids.extend(pages);
    }

    Ok(output_intent.filter(|_| every_input_has_intent))
}

fn serialize(doc: &mut Document) -> Result<Vec<u8>, EvidenceError> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| EvidenceError::PdfOutput {
            path: PathBuf::new(),
            cause: e.to_string(),
        })?;
    Ok(bytes)
}

/// The combined PDF's bytes.
pub fn combine(
    drawn: &Drawn,
    font: &CatalogueFont,
    inputs: Vec<Input>,
    placed: &[PlacedItem],
    language: Language,
) -> Result<Vec<u8>, EvidenceError> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let (font_id, cids) = font.embed(&mut doc)?;
    let mut fonts = Dictionary::new();
    fonts.set("F1", font_id);
    let mut resources = Dictionary::new();
    resources.set("Font", fonts);
    let resources = doc.add_object(resources);

    let mut kids = Vec::new();
    for page in &drawn.pages {
        let mut stream = Stream::new(Dictionary::new(), content(page, &cids));
        // Compression only fails on an allocation failure; the plain stream is as valid.
        let _ = stream.compress();
        let contents = doc.add_object(stream);
        let mut dict = Dictionary::new();
        dict.set("Type", "Page");
        dict.set("Parent", pages_id);
        dict.set(
            "MediaBox",
            vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        );
        dict.set("Resources", resources);
        dict.set("Contents", contents);
        kids.push(doc.add_object(dict));
    }
    let catalogue_first = kids[0];

    let output_intent = append_evidence(&mut doc, inputs, pages_id, &mut kids)?;

    let mut entries = vec![(layout::title(language).to_owned(), catalogue_first)];
    let evidence_start = drawn.pages.len();
    for (n, item) in placed.iter().enumerate() {
        entries.push((
            format!("{}. {}", n + 1, item.name),
            kids[evidence_start + item.first - 1],
        ));
    }
    let outlines = outline(&mut doc, &entries);

    let mut pages = Dictionary::new();
    pages.set("Type", "Pages");
    pages.set("Count", count(kids.len()));
    pages.set(
        "Kids",
        kids.iter()
            .map(|k| Object::Reference(*k))
            .collect::<Vec<_>>(),
    );
    doc.objects.insert(pages_id, Object::Dictionary(pages));

    let label = |style: &str, start: i64| {
        let mut dict = Dictionary::new();
        dict.set("S", Object::Name(style.as_bytes().to_vec()));
        dict.set("St", start);
        Object::Dictionary(dict)
    };
    let mut labels = Dictionary::new();
    labels.set(
        "Nums",
        vec![
            0.into(),
            label("r", 1),
            count(evidence_start).into(),
            label("D", 1),
        ],
    );

    let mut catalog = Dictionary::new();
    catalog.set("Type", "Catalog");
    catalog.set("Pages", pages_id);
    catalog.set("Outlines", outlines);
    catalog.set("PageMode", "UseOutlines");
    catalog.set("PageLabels", labels);
    catalog.set(
        "Lang",
        Object::string_literal(match language {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }),
    );
    if let Some(intent) = output_intent {
        catalog.set("OutputIntents", intent);
        let metadata = doc.add_object(xmp_metadata());
        catalog.set("Metadata", metadata);
    }
    let catalog = doc.add_object(catalog);
    doc.trailer = Dictionary::new();
    doc.trailer.set("Root", catalog);
    // Only what the new catalog reaches stays: the evidence files' old trees, outlines and
    // metadata go.
    doc.prune_objects();

    let bytes = serialize(&mut doc)?;
    // The file identifier PDF/A asks for, from the content itself, so equal inputs give an
    // equal file.
    let id = crate::hash::sha256_hex(&bytes);
    let id = Object::String(id.as_bytes()[..32].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    serialize(&mut doc)
}
