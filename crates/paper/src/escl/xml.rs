//! The scanner's XML, read into a small tree of elements named by their local names. eSCL
//! documents mix the `scan:` and `pwg:` namespaces, and scanners choose their own prefixes,
//! so names are matched without them.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element: its local name, its text and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// Every element named `name` below this one, in document order.
    pub fn descendants<'a>(&'a self, name: &str, found: &mut Vec<&'a Element>) {
        for child in &self.children {
            if child.name == name {
                found.push(child);
            }
            child.descendants(name, found);
        }
    }

    /// The trimmed texts of every element named `name` below this one, without repeats.
    pub fn texts_of(&self, name: &str) -> Vec<String> {
        let mut found = Vec::new();
        self.descendants(name, &mut found);
        let mut texts: Vec<String> = Vec::new();
        for element in found {
            let text = element.text.trim();
            if !text.is_empty() && !texts.iter().any(|t| t == text) {
                texts.push(text.to_owned());
            }
        }
        texts
    }
}

fn local(name: &str) -> String {
    name.to_owned()
}

/// The five predefined entities and character references; others are kept as written.
fn entity(name: &str) -> String {
    let resolved = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => name
            .strip_prefix("#x")
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
            .and_then(char::from_u32),
    };
    resolved.map_or_else(|| format!("&{name};"), String::from)
}

/// Parses a whole document and returns its root element.
pub fn parse(document: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(document);
    // Open elements, innermost last; the root is kept when it closes.
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => open.push(Element {
                name: local(start.local_name().as_ref()),
                ..Element::default()
            }),
            Event::Empty(empty) => {
                let element = Element {
                    name: local(empty.local_name().as_ref()),
                    ..Element::default()
                };
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let Some(done) = open.pop() else {
                    return Err("an element closes that was never opened".to_owned());
                };
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => {
                if let Some(current) = open.last_mut() {
                    current.text.push_str(&text.into_inner());
                }
            }
            Event::CData(data) => {
                if let Some(current) = open.last_mut() {
                    current.text.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(current) = open.last_mut() {
                    current.text.push_str(&entity(&reference.into_inner()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() {
        return Err(format!("the document ends inside <{}>", open[0].name));
    }
    root.ok_or_else(|| "the document has no elements".to_owned())
}

/// Escapes text for an element's content.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_without_their_prefixes() {
        let root = parse(
            r#"<?xml version="1.0"?><a:Caps xmlns:a="x" xmlns:b="y"><b:MakeAndModel>HP &amp; Co &#x4E2D;</b:MakeAndModel><a:Modes><a:Mode>RGB24</a:Mode><a:Mode>Grayscale8</a:Mode><a:Mode>RGB24</a:Mode></a:Modes><a:Empty/></a:Caps>"#,
        )
        .expect("parses");
        assert_eq!(root.name, "Caps");
        assert_eq!(root.child_text("MakeAndModel"), Some("HP & Co 中"));
        assert_eq!(root.texts_of("Mode"), ["RGB24", "Grayscale8"]);
        assert!(root.child("Empty").is_some());
    }

    #[test]
    fn a_cut_off_document_is_refused() {
        let err = parse("<a><b>text</b>").expect_err("unclosed");
        assert!(err.contains("ends inside <a>"), "{err}");
        assert!(parse("").is_err());
        assert!(parse("<a></b>").is_err());
    }
}
