//! Document metadata: the XMP packet that declares PDF/A-2b conformance, and the dates and
//! strings that must say the same thing in the XMP and in the document information dictionary.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC time broken into calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl CivilTime {
    /// Converts a system time (UTC) using the days-from-civil inverse (Howard Hinnant's
    /// algorithm); times before 1970 are taken as 1970.
    pub fn from_system(time: SystemTime) -> Self {
        let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// `D:YYYYMMDDHHmmSSZ`, the PDF date form.
    pub fn pdf(&self) -> String {
        format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `YYYY-MM-DDTHH:mm:SSZ`, the XMP date form.
    pub fn xmp(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet. `producer`, `creator`, `title` and `time` must be the values written to the
/// information dictionary, or the file is not PDF/A.
pub fn packet(producer: &str, creator: &str, title: Option<&str>, time: &CivilTime) -> String {
    let date = time.xmp();
    let title = title.map_or_else(String::new, |t| {
        format!(
            "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
            xml_escape(t)
        )
    });
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
  <rdf:Description rdf:about=\"\"\n\
    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n\
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n\
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n\
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
   <pdfaid:part>2</pdfaid:part>\n\
   <pdfaid:conformance>B</pdfaid:conformance>\n\
   <xmp:CreateDate>{date}</xmp:CreateDate>\n\
   <xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
   <xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>\n\
   <pdf:Producer>{producer}</pdf:Producer>\n\
{title}\
   <dc:format>application/pdf</dc:format>\n\
  </rdf:Description>\n\
 </rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>",
        creator = xml_escape(creator),
        producer = xml_escape(producer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn civil_dates() {
        let t = CivilTime::from_system(UNIX_EPOCH + Duration::from_hours(452_160));
        assert_eq!(t.pdf(), "D:20210801000000Z");
        assert_eq!(t.xmp(), "2021-08-01T00:00:00Z");
        let leap = CivilTime::from_system(UNIX_EPOCH + Duration::from_secs(951_825_599));
        assert_eq!(leap.xmp(), "2000-02-29T11:59:59Z");
    }

    #[test]
    fn packet_declares_pdfa_2b_and_escapes() {
        let t = CivilTime::from_system(UNIX_EPOCH);
        let xmp = packet("P", "C", Some("证据 <1> & 2"), &t);
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(xmp.contains("证据 &lt;1&gt; &amp; 2"));
        assert!(xmp.ends_with("<?xpacket end=\"w\"?>"));
    }
}
