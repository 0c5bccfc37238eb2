//! litigant-hearing against real GStreamer: recordings from the test source and from a
//! PulseAudio null sink, checked with `gst-discoverer-1.0` and by decoding every frame.

mod attend;
mod check;
mod court;
mod handoff;
mod record;
mod recover;
mod support;
