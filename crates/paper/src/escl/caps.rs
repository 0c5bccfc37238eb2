//! What an eSCL scanner says about itself (`ScannerCapabilities`, `ScannerStatus`) and the
//! job settings sent to it (`ScanSettings`), after the Mopria eSCL specification 2.x.

use serde::Serialize;

use super::xml::{self, Element};

/// Where the paper lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EsclSource {
    /// The flatbed glass: one page per job.
    Platen,
    /// The automatic document feeder: pages until it runs out.
    Feeder,
}

impl EsclSource {
    /// The name eSCL uses for it in `InputSource`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Platen => "Platen",
            Self::Feeder => "Feeder",
        }
    }
}

/// What one input source can do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EsclInputCaps {
    pub source: EsclSource,
    /// Largest scan area, in 1/300 inch.
    pub max_width: u32,
    pub max_height: u32,
    /// Resolutions offered, in dpi, ascending.
    pub resolutions: Vec<u32>,
    /// eSCL colour modes, e.g. `Grayscale8`, `RGB24`, `BlackAndWhite1`.
    pub colour_modes: Vec<String>,
    /// MIME types of the documents it sends, e.g. `image/jpeg`, `application/pdf`.
    pub formats: Vec<String>,
}

/// A scanner's description of itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EsclCapabilities {
    pub make_and_model: String,
    pub serial_number: Option<String>,
    /// The eSCL version it speaks.
    pub version: Option<String>,
    pub inputs: Vec<EsclInputCaps>,
}

impl EsclCapabilities {
    pub fn input(&self, source: EsclSource) -> Option<&EsclInputCaps> {
        self.inputs.iter().find(|i| i.source == source)
    }
}

/// What the scanner is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EsclStatus {
    /// `Idle`, `Processing`, `Testing`, `Stopped` or `Down`.
    pub state: String,
    /// The feeder's state when it has one, e.g. `ScannerAdfLoaded`, `ScannerAdfEmpty`,
    /// `ScannerAdfJam`.
    pub adf_state: Option<String>,
}

/// Resolutions a scanner may offer as a range: the usual steps inside it.
const RANGE_STEPS: [u32; 7] = [75, 100, 150, 200, 300, 600, 1200];

fn number(element: &Element, name: &str) -> Option<u32> {
    element.child_text(name).and_then(|t| t.parse().ok())
}

fn resolutions(caps: &Element) -> Vec<u32> {
    let mut found = Vec::new();
    caps.descendants("DiscreteResolution", &mut found);
    let mut dpi: Vec<u32> = found
        .iter()
        .filter_map(|r| number(r, "XResolution"))
        .collect();
    let mut ranges = Vec::new();
    caps.descendants("XResolutionRange", &mut ranges);
    for range in ranges {
        if let (Some(min), Some(max)) = (number(range, "Min"), number(range, "Max")) {
            dpi.extend(RANGE_STEPS.iter().filter(|&&d| d >= min && d <= max));
        }
    }
    dpi.sort_unstable();
    dpi.dedup();
    dpi
}

fn input_caps(source: EsclSource, caps: &Element) -> EsclInputCaps {
    let mut formats = caps.texts_of("DocumentFormatExt");
    for format in caps.texts_of("DocumentFormat") {
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    EsclInputCaps {
        source,
        max_width: number(caps, "MaxWidth").unwrap_or(2550),
        max_height: number(caps, "MaxHeight").unwrap_or(3508),
        resolutions: resolutions(caps),
        colour_modes: caps.texts_of("ColorMode"),
        formats,
    }
}

/// Reads a `ScannerCapabilities` document.
pub fn parse_capabilities(document: &str) -> Result<EsclCapabilities, String> {
    let root = xml::parse(document)?;
    if root.name != "ScannerCapabilities" {
        return Err(format!(
            "expected ScannerCapabilities, found <{}>",
            root.name
        ));
    }
    let mut inputs = Vec::new();
    if let Some(caps) = root
        .child("Platen")
        .and_then(|p| p.child("PlatenInputCaps"))
    {
        inputs.push(input_caps(EsclSource::Platen, caps));
    }
    if let Some(caps) = root.child("Adf").and_then(|a| {
        a.child("AdfSimplexInputCaps")
            .or_else(|| a.child("AdfDuplexInputCaps"))
    }) {
        inputs.push(input_caps(EsclSource::Feeder, caps));
    }
    if inputs.is_empty() {
        return Err("it names neither a flatbed (Platen) nor a document feeder (Adf)".to_owned());
    }
    Ok(EsclCapabilities {
        make_and_model: root
            .child_text("MakeAndModel")
            .unwrap_or("an unnamed scanner")
            .to_owned(),
        serial_number: root.child_text("SerialNumber").map(str::to_owned),
        version: root.child_text("Version").map(str::to_owned),
        inputs,
    })
}

/// Reads a `ScannerStatus` document.
pub fn parse_status(document: &str) -> Result<EsclStatus, String> {
    let root = xml::parse(document)?;
    if root.name != "ScannerStatus" {
        return Err(format!("expected ScannerStatus, found <{}>", root.name));
    }
    Ok(EsclStatus {
        state: root
            .child_text("State")
            .ok_or("it has no State")?
            .to_owned(),
        adf_state: root.child_text("AdfState").map(str::to_owned),
    })
}

/// What to ask one job for, chosen among what the source offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSettings {
    pub source: EsclSource,
    pub resolution: u32,
    pub colour_mode: String,
    pub format: String,
    pub width: u32,
    pub height: u32,
}

/// Formats the pipeline reads, best first: JPEG passes through untouched when it is good.
const FORMATS: [&str; 3] = ["image/jpeg", "image/png", "application/pdf"];

impl JobSettings {
    /// The offered resolution nearest to `dpi` (the higher one on a tie), colour or gray as
    /// asked when offered, and the first format the pipeline reads. `None` when the source
    /// sends no format the pipeline reads.
    pub fn choose(caps: &EsclInputCaps, dpi: u32, colour: bool) -> Option<Self> {
        let format = FORMATS
            .iter()
            .find(|f| caps.formats.iter().any(|o| o == *f))?;
        let resolution = caps
            .resolutions
            .iter()
            .copied()
            .min_by_key(|&r| (r.abs_diff(dpi), std::cmp::Reverse(r)))
            .unwrap_or(dpi);
        let wanted: &[&str] = if colour {
            &["RGB24", "Grayscale8"]
        } else {
            &["Grayscale8", "RGB24"]
        };
        let colour_mode = wanted
            .iter()
            .find(|m| caps.colour_modes.iter().any(|o| o == *m))
            .map_or_else(
                || caps.colour_modes.first().cloned().unwrap_or_default(),
                |m| (*m).to_owned(),
            );
        Some(Self {
            source: caps.source,
            resolution,
            colour_mode,
            format: (*format).to_owned(),
            width: caps.max_width,
            height: caps.max_height,
        })
    }

    /// The `ScanSettings` document for `POST ScanJobs`.
    pub fn document(&self) -> String {
        let mode = if self.colour_mode.is_empty() {
            String::new()
        } else {
            format!(
                "  <scan:ColorMode>{}</scan:ColorMode>\n",
                xml::escape(&self.colour_mode)
            )
        };
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<scan:ScanSettings xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.0</pwg:Version>
  <pwg:ScanRegions pwg:MustHonor="false">
    <pwg:ScanRegion>
      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>
      <pwg:XOffset>0</pwg:XOffset>
      <pwg:YOffset>0</pwg:YOffset>
      <pwg:Width>{width}</pwg:Width>
      <pwg:Height>{height}</pwg:Height>
    </pwg:ScanRegion>
  </pwg:ScanRegions>
  <pwg:InputSource>{source}</pwg:InputSource>
{mode}  <scan:XResolution>{dpi}</scan:XResolution>
  <scan:YResolution>{dpi}</scan:YResolution>
  <pwg:DocumentFormat>{format}</pwg:DocumentFormat>
  <scan:DocumentFormatExt>{format}</scan:DocumentFormatExt>
</scan:ScanSettings>
"#,
            width = self.width,
            height = self.height,
            source = self.source.as_str(),
            dpi = self.resolution,
            format = xml::escape(&self.format),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
 <pwg:Version>2.63</pwg:Version>
 <pwg:MakeAndModel>Canon MF740C</pwg:MakeAndModel>
 <pwg:SerialNumber>XK0042</pwg:SerialNumber>
 <scan:Platen><scan:PlatenInputCaps>
  <scan:MaxWidth>2550</scan:MaxWidth><scan:MaxHeight>3508</scan:MaxHeight>
  <scan:SettingProfiles><scan:SettingProfile>
   <scan:ColorModes><scan:ColorMode>BlackAndWhite1</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
   <scan:DocumentFormats><pwg:DocumentFormat>application/pdf</pwg:DocumentFormat><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
   <scan:SupportedResolutions><scan:XResolutionRange><scan:Min>100</scan:Min><scan:Max>600</scan:Max><scan:Step>1</scan:Step></scan:XResolutionRange></scan:SupportedResolutions>
  </scan:SettingProfile></scan:SettingProfiles>
 </scan:PlatenInputCaps></scan:Platen>
 <scan:Adf><scan:AdfSimplexInputCaps>
  <scan:MaxWidth>2550</scan:MaxWidth><scan:MaxHeight>4200</scan:MaxHeight>
  <scan:SettingProfiles><scan:SettingProfile>
   <scan:ColorModes><scan:ColorMode>Grayscale8</scan:ColorMode></scan:ColorModes>
   <scan:DocumentFormats><pwg:DocumentFormat>application/pdf</pwg:DocumentFormat></scan:DocumentFormats>
   <scan:SupportedResolutions><scan:DiscreteResolutions>
    <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
    <scan:DiscreteResolution><scan:XResolution>150</scan:XResolution><scan:YResolution>150</scan:YResolution></scan:DiscreteResolution>
   </scan:DiscreteResolutions></scan:SupportedResolutions>
  </scan:SettingProfile></scan:SettingProfiles>
 </scan:AdfSimplexInputCaps></scan:Adf>
</scan:ScannerCapabilities>"#;

    #[test]
    fn a_scanners_description_is_read_by_source() {
        let caps = parse_capabilities(CAPS).expect("parses");
        assert_eq!(caps.make_and_model, "Canon MF740C");
        assert_eq!(caps.serial_number.as_deref(), Some("XK0042"));
        let platen = caps.input(EsclSource::Platen).expect("platen");
        assert_eq!(platen.resolutions, [100, 150, 200, 300, 600]);
        assert_eq!(platen.formats, ["application/pdf", "image/jpeg"]);
        let feeder = caps.input(EsclSource::Feeder).expect("feeder");
        assert_eq!(
            (feeder.max_height, feeder.resolutions.as_slice()),
            (4200, &[150, 300][..])
        );
    }

    #[test]
    fn settings_are_chosen_among_what_the_source_offers() {
        let caps = parse_capabilities(CAPS).expect("parses");
        let platen = caps.input(EsclSource::Platen).expect("platen");
        let job = JobSettings::choose(platen, 250, true).expect("a format");
        assert_eq!(job.resolution, 300);
        assert_eq!(job.colour_mode, "RGB24");
        assert_eq!(job.format, "image/jpeg");
        // The feeder sends only PDF, only in gray.
        let feeder = caps.input(EsclSource::Feeder).expect("feeder");
        let job = JobSettings::choose(feeder, 600, true).expect("a format");
        assert_eq!(
            (job.resolution, job.colour_mode.as_str()),
            (300, "Grayscale8")
        );
        assert_eq!(job.format, "application/pdf");
        let document = job.document();
        assert!(document.contains("<pwg:InputSource>Feeder</pwg:InputSource>"));
        assert!(document.contains("<pwg:Height>4200</pwg:Height>"));
        let tiff_only = EsclInputCaps {
            formats: vec!["image/tiff".into()],
            ..feeder.clone()
        };
        assert_eq!(JobSettings::choose(&tiff_only, 300, false), None);
    }

    #[test]
    fn the_status_names_the_feeder_state() {
        let status = parse_status(
            "<scan:ScannerStatus xmlns:scan='s' xmlns:pwg='p'><pwg:State>Idle</pwg:State>\
             <scan:AdfState>ScannerAdfEmpty</scan:AdfState></scan:ScannerStatus>",
        )
        .expect("parses");
        assert_eq!(status.state, "Idle");
        assert_eq!(status.adf_state.as_deref(), Some("ScannerAdfEmpty"));
        assert!(parse_status("<Other/>").is_err());
    }
}
