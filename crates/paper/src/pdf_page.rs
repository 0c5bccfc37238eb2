//! Reading what a PDF page shows, for import: whether it is one upright image (a scan) and
//! where, the image's samples and colour space, the page's boxes, and active content anywhere
//! in the file. Nothing here decodes pixels; `import` does that.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

pub(crate) const GENERIC_FILTERS: [&[u8]; 5] = [
    b"FlateDecode",
    b"LZWDecode",
    b"RunLengthDecode",
    b"ASCII85Decode",
    b"ASCIIHexDecode",
];

/// The one image a page shows and how wide it is drawn, in points.
pub(crate) struct ShownImage<'a> {
    pub(crate) stream: &'a Stream,
    pub(crate) width_pt: f64,
}

/// The image a page shows when its content is nothing but one image drawn upright, not
/// flipped, wholly visible: `q`, `cm`, `Do`, `Q`, a rectangular clip (and `ri`, `i`), and no
/// mask.
pub(crate) fn single_image(doc: &Document, page: ObjectId) -> Option<ShownImage<'_>> {
    let page_dict = doc.get_dictionary(page).ok()?;
    if inherited(doc, page_dict, b"Rotate")
        .and_then(|r| r.as_i64().ok())
        .is_some_and(|r| r.rem_euclid(360) != 0)
    {
        return None;
    }
    let content = doc.get_and_decode_page_content(page).ok()?;
    let (pw, ph) = page_size(doc, page)?;
    let (ox, oy) = page_origin(doc, page)?;
    // The graphics state that matters here: the matrix and the clip (x0, y0, x1, y1).
    let mut ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut clip = [ox, oy, ox + pw, oy + ph];
    let mut stack = Vec::new();
    let mut path: Option<[f64; 4]> = None;
    let mut clipping = false;
    let mut shown = None;
    for op in &content.operations {
        let numbers = || -> Option<Vec<f64>> {
            op.operands
                .iter()
                .map(|o| o.as_float().map(f64::from).ok())
                .collect()
        };
        match op.operator.as_str() {
            "q" => stack.push((ctm, clip)),
            "Q" => (ctm, clip) = stack.pop()?,
            "cm" => {
                let m: [f64; 6] = numbers()?.try_into().ok()?;
                ctm = multiply(&m, &ctm);
            }
            // A rectangle made the clip (`re W n`), as scanners' PDFs often draw around
            // the image.
            "re" if path.is_none() && upright(&ctm) => {
                let [x, y, w, h]: [f64; 4] = numbers()?.try_into().ok()?;
                let [a, _, _, d, e, f] = ctm;
                let (x0, x1) = (e + a * x, e + a * (x + w));
                let (y0, y1) = (f + d * y, f + d * (y + h));
                path = Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]);
            }
            "W" | "W*" if path.is_some() => clipping = true,
            "n" if clipping => {
                let r = path.take()?;
                clip = [
                    clip[0].max(r[0]),
                    clip[1].max(r[1]),
                    clip[2].min(r[2]),
                    clip[3].min(r[3]),
                ];
                clipping = false;
            }
            // Rendering intent and flatness change nothing in how an image looks here.
            "ri" | "i" => {}
            "Do" if shown.is_none() && path.is_none() => {
                let name = op.operands.first()?.as_name().ok()?;
                shown = Some((name.to_vec(), ctm, clip));
            }
            _ => return None,
        }
    }
    let (name, ctm, clip) = shown?;
    let [a, _, _, d, e, f] = ctm;
    // The whole image must be visible: inside the page and inside any clip.
    let tolerance = 1.0;
    if !upright(&ctm)
        || e < clip[0] - tolerance
        || f < clip[1] - tolerance
        || e + a > clip[2] + tolerance
        || f + d > clip[3] + tolerance
    {
        return None;
    }
    let stream = xobject(doc, page, &name)?;
    let dict = &stream.dict;
    if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image".as_slice())
        || dict.has(b"SMask")
        || dict.has(b"Mask")
        || dict.get(b"ImageMask").and_then(Object::as_bool).ok() == Some(true)
    {
        return None;
    }
    Some(ShownImage {
        stream,
        width_pt: a,
    })
}

/// Not rotated, skewed or flipped.
pub(crate) fn upright(m: &[f64; 6]) -> bool {
    m[1].abs() < 1e-6 && m[2].abs() < 1e-6 && m[0] > 0.0 && m[3] > 0.0
}

pub(crate) fn multiply(m: &[f64; 6], n: &[f64; 6]) -> [f64; 6] {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// A page attribute, looked up through the page tree as the spec allows for inheritable keys.
pub(crate) fn inherited<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return doc.dereference(value).ok().map(|(_, v)| v);
        }
        node = node
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok()?;
    }
    None
}

pub(crate) fn visible_box(doc: &Document, page: ObjectId) -> Option<[f64; 4]> {
    let dict = doc.get_dictionary(page).ok()?;
    let rect = inherited(doc, dict, b"CropBox").or_else(|| inherited(doc, dict, b"MediaBox"))?;
    let values: Vec<f64> = rect
        .as_array()
        .ok()?
        .iter()
        .map(|v| doc.dereference(v).ok()?.1.as_float().ok().map(f64::from))
        .collect::<Option<_>>()?;
    let [x0, y0, x1, y1]: [f64; 4] = values.try_into().ok()?;
    let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
    (w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0).then_some([
        x0.min(x1),
        y0.min(y1),
        w,
        h,
    ])
}

/// The visible page's width and height, in points.
pub(crate) fn page_size(doc: &Document, page: ObjectId) -> Option<(f64, f64)> {
    visible_box(doc, page).map(|b| (b[2], b[3]))
}

pub(crate) fn page_origin(doc: &Document, page: ObjectId) -> Option<(f64, f64)> {
    visible_box(doc, page).map(|b| (b[0], b[1]))
}

/// The image `XObject` called `name` in the page's resources.
pub(crate) fn xobject<'a>(doc: &'a Document, page: ObjectId, name: &[u8]) -> Option<&'a Stream> {
    let (direct, ids) = doc.get_page_resources(page).ok()?;
    let dicts = direct
        .into_iter()
        .chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    for resources in dicts {
        let Ok(xobjects) = resources.get(b"XObject") else {
            continue;
        };
        let Some(xobjects) = doc
            .dereference(xobjects)
            .ok()
            .and_then(|(_, x)| x.as_dict().ok())
        else {
            continue;
        };
        if let Ok(reference) = xobjects.get(name) {
            return doc.dereference(reference).ok()?.1.as_stream().ok();
        }
    }
    None
}

pub(crate) fn int(dict: &Dictionary, key: &[u8]) -> Option<i64> {
    dict.get(key).ok()?.as_i64().ok()
}

pub(crate) fn bits(dict: &Dictionary) -> Option<u8> {
    u8::try_from(int(dict, b"BitsPerComponent")?).ok()
}

/// For 1-bit images: whether the Decode array inverts the samples; `None` for arrays other
/// than `[0 1]` and `[1 0]`.
pub(crate) fn decode_inverted(dict: &Dictionary) -> Option<bool> {
    let Ok(decode) = dict.get(b"Decode") else {
        return Some(false);
    };
    let values: Vec<i64> = decode
        .as_array()
        .ok()?
        .iter()
        .map(|v| match v {
            Object::Integer(i) => Some(*i),
            // Written as reals by some producers; only exact 0 and 1 count.
            Object::Real(r) if r.fract() == 0.0 => Some(*r as i64),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match values.as_slice() {
        [0, 1] => Some(false),
        [1, 0] => Some(true),
        _ => None,
    }
}

/// Colour spaces whose samples this import reads itself.
pub(crate) enum ColourSpace {
    /// Gray (1) or RGB (3), device or ICC-based.
    Direct(usize),
    /// A palette of `base`-component entries (1 or 3).
    Indexed { base: usize, palette: Vec<u8> },
}

impl ColourSpace {
    pub(crate) fn of(doc: &Document, dict: &Dictionary) -> Option<Self> {
        let space = doc.dereference(dict.get(b"ColorSpace").ok()?).ok()?.1;
        if let Ok(array) = space.as_array()
            && array.first().and_then(|n| n.as_name().ok()) == Some(b"Indexed".as_slice())
        {
            let [_, base, hival, lookup] = array.as_slice() else {
                return None;
            };
            let base @ (1 | 3) = direct_components(doc, doc.dereference(base).ok()?.1)? else {
                return None;
            };
            let entries = usize::try_from(doc.dereference(hival).ok()?.1.as_i64().ok()?)
                .ok()?
                .checked_add(1)?;
            let palette = match doc.dereference(lookup).ok()?.1 {
                Object::String(bytes, _) => bytes.clone(),
                Object::Stream(s) => s.decompressed_content_with_limit(256 * 3).ok()?,
                _ => return None,
            };
            (entries <= 256).then_some(Self::Indexed { base, palette })
        } else {
            match direct_components(doc, space)? {
                n @ (1 | 3) => Some(Self::Direct(n)),
                _ => None,
            }
        }
    }

    pub(crate) fn channels(&self) -> usize {
        match self {
            Self::Direct(n) => *n,
            Self::Indexed { .. } => 1,
        }
    }
}

/// Components of a device or ICC-based colour space.
pub(crate) fn direct_components(doc: &Document, space: &Object) -> Option<usize> {
    match space {
        Object::Name(n) if n == b"DeviceGray" || n == b"CalGray" => Some(1),
        Object::Name(n) if n == b"DeviceRGB" || n == b"CalRGB" => Some(3),
        Object::Name(n) if n == b"DeviceCMYK" => Some(4),
        Object::Array(a) => {
            let kind = a.first()?.as_name().ok()?;
            match kind {
                b"ICCBased" => {
                    let stream = doc.dereference(a.get(1)?).ok()?.1.as_stream().ok()?;
                    usize::try_from(int(&stream.dict, b"N")?).ok()
                }
                b"CalGray" => Some(1),
                b"CalRGB" => Some(3),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Components of an image's colour space, for JPEG images.
pub(crate) fn components(doc: &Document, dict: &Dictionary) -> Option<usize> {
    let space = doc.dereference(dict.get(b"ColorSpace").ok()?).ok()?.1;
    direct_components(doc, space)
}

/// Active content anywhere in the file, named for a person: what a court bundle must not
/// carry and a conversion would otherwise drop without a word.
pub(crate) fn active_content(doc: &Document) -> Option<&'static str> {
    doc.objects.values().find_map(|o| active_in(o, 0))
}

pub(crate) fn active_in(object: &Object, depth: usize) -> Option<&'static str> {
    // Direct objects nest only as deep as the file's text; the parser has its own limit.
    if depth > 64 {
        return None;
    }
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => return items.iter().find_map(|o| active_in(o, depth + 1)),
        _ => return None,
    };
    let action = dict.get(b"S").and_then(Object::as_name).ok();
    let kind = dict.get(b"Type").and_then(Object::as_name).ok();
    if action == Some(b"JavaScript".as_slice()) || dict.has(b"JS") || dict.has(b"JavaScript") {
        return Some("JavaScript");
    }
    if action == Some(b"Launch".as_slice()) {
        return Some("a launch action (it starts another program)");
    }
    if kind == Some(b"EmbeddedFile".as_slice()) || dict.has(b"EmbeddedFiles") || dict.has(b"EF") {
        return Some("embedded files");
    }
    if dict.has(b"XFA") {
        return Some("an XFA form (a scripted form)");
    }
    dict.iter().find_map(|(_, v)| active_in(v, depth + 1))
}
