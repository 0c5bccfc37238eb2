//! The MQ arithmetic encoder of ITU-T T.88 Annex E (the same coder as JPEG 2000 Annex C), with
//! the JBIG2 flush that ends the data with the 0xFF 0xAC marker.

/// One row of Table E.1: the LPS probability estimate and the next state after an MPS or LPS,
/// and whether an LPS in this state swaps the sense of the MPS.
struct QeRow {
    qe: u32,
    nmps: u8,
    nlps: u8,
    switch: bool,
}

const fn row(qe: u32, on_mps: u8, on_lps_go_to: u8, switch: u8) -> QeRow {
    QeRow {
        qe,
        nmps: on_mps,
        nlps: on_lps_go_to,
        switch: switch == 1,
    }
}

/// Table E.1 of T.88, indexed by the state I.
const QE_TABLE: [QeRow; 47] = [
    row(0x5601, 1, 1, 1),
    row(0x3401, 2, 6, 0),
    row(0x1801, 3, 9, 0),
    row(0x0AC1, 4, 12, 0),
    row(0x0521, 5, 29, 0),
    row(0x0221, 38, 33, 0),
    row(0x5601, 7, 6, 1),
    row(0x5401, 8, 14, 0),
    row(0x4801, 9, 14, 0),
    row(0x3801, 10, 14, 0),
    row(0x3001, 11, 17, 0),
    row(0x2401, 12, 18, 0),
    row(0x1C01, 13, 20, 0),
    row(0x1601, 29, 21, 0),
    row(0x5601, 15, 14, 1),
    row(0x5401, 16, 14, 0),
    row(0x5101, 17, 15, 0),
    row(0x4801, 18, 16, 0),
    row(0x3801, 19, 17, 0),
    row(0x3401, 20, 18, 0),
    row(0x3001, 21, 19, 0),
    row(0x2801, 22, 19, 0),
    row(0x2401, 23, 20, 0),
    row(0x2201, 24, 21, 0),
    row(0x1C01, 25, 22, 0),
    row(0x1801, 26, 23, 0),
    row(0x1601, 27, 24, 0),
    row(0x1401, 28, 25, 0),
    row(0x1201, 29, 26, 0),
    row(0x1101, 30, 27, 0),
    row(0x0AC1, 31, 28, 0),
    row(0x09C1, 32, 29, 0),
    row(0x08A1, 33, 30, 0),
    row(0x0521, 34, 31, 0),
    row(0x0441, 35, 32, 0),
    row(0x02A1, 36, 33, 0),
    row(0x0221, 37, 34, 0),
    row(0x0141, 38, 35, 0),
    row(0x0111, 39, 36, 0),
    row(0x0085, 40, 37, 0),
    row(0x0049, 41, 38, 0),
    row(0x0025, 42, 39, 0),
    row(0x0015, 43, 40, 0),
    row(0x0009, 44, 41, 0),
    row(0x0005, 45, 42, 0),
    row(0x0001, 45, 43, 0),
    row(0x5601, 46, 46, 0),
];

/// The adaptive state of one context: index I into Table E.1 in the upper bits, MPS in bit 0.
/// Every context starts at I = 0, MPS = 0 (E.2.8), which is the zero byte.
pub(crate) type Context = u8;

/// Encoder registers of E.2.1; `out` holds the bytes written so far, its first byte being the
/// one before the start of the data (BPST − 1), which a carry may not reach and which is dropped.
pub(crate) struct MqEncoder {
    a: u32,
    c: u32,
    ct: u32,
    out: Vec<u8>,
}

impl MqEncoder {
    /// INITENC (E.2.8).
    pub(crate) fn new(capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity + 1);
        out.push(0);
        Self {
            a: 0x8000,
            c: 0,
            ct: 12,
            out,
        }
    }

    /// ENCODE (E.2.2): codes the decision `bit` (0 or 1) in context `cx`.
    #[inline]
    pub(crate) fn encode(&mut self, cx: &mut Context, bit: u8) {
        let index = usize::from(*cx >> 1);
        let mps = *cx & 1;
        let state = &QE_TABLE[index];
        let qe = state.qe;
        self.a -= qe;
        if bit == mps {
            // CODEMPS (E.2.4): most decisions end here without renormalising.
            if self.a & 0x8000 != 0 {
                self.c += qe;
                return;
            }
            if self.a < qe {
                self.a = qe;
            } else {
                self.c += qe;
            }
            *cx = (state.nmps << 1) | mps;
        } else {
            // CODELPS (E.2.3), with the conditional exchange.
            if self.a < qe {
                self.c += qe;
            } else {
                self.a = qe;
            }
            let mps = if state.switch { 1 - mps } else { mps };
            *cx = (state.nlps << 1) | mps;
        }
        self.renormalise();
    }

    /// RENORME (E.2.6).
    fn renormalise(&mut self) {
        loop {
            self.a <<= 1;
            self.c <<= 1;
            self.ct -= 1;
            if self.ct == 0 {
                self.byte_out();
            }
            if self.a & 0x8000 != 0 {
                break;
            }
        }
    }

    /// BYTEOUT (E.2.7) with bit stuffing after 0xFF, so a carry never runs past a 0xFF byte.
    fn byte_out(&mut self) {
        let last = self.out.len() - 1;
        if self.out[last] == 0xFF {
            self.emit_after_ff();
        } else if self.c < 0x800_0000 {
            self.emit_plain();
        } else {
            self.out[last] += 1;
            if self.out[last] == 0xFF {
                self.c &= 0x7FF_FFFF;
                self.emit_after_ff();
            } else {
                self.emit_plain();
            }
        }
    }

    fn emit_after_ff(&mut self) {
        self.out.push((self.c >> 20) as u8);
        self.c &= 0xF_FFFF;
        self.ct = 7;
    }

    fn emit_plain(&mut self) {
        // Bit 27 (the carry) was already added to the previous byte; the cast drops it.
        self.out.push((self.c >> 19) as u8);
        self.c &= 0x7_FFFF;
        self.ct = 8;
    }

    /// FLUSH (E.2.9): SETBITS, two bytes out, then the 0xFF 0xAC marker. Returns the data.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let top = self.c + self.a;
        self.c |= 0xFFFF;
        if self.c >= top {
            self.c -= 0x8000;
        }
        self.c <<= self.ct;
        self.byte_out();
        self.c <<= self.ct;
        self.byte_out();
        if self.out.last() != Some(&0xFF) {
            self.out.push(0xFF);
        }
        self.out.push(0xAC);
        self.out.remove(0);
        self.out
    }
}

/// The decoder of T.88 E.3, only to check the encoder against.
#[cfg(test)]
pub(crate) struct MqDecoder<'a> {
    data: &'a [u8],
    bp: usize,
    a: u32,
    c: u32,
    ct: u32,
}

#[cfg(test)]
impl<'a> MqDecoder<'a> {
    /// INITDEC (E.3.5).
    pub(crate) fn new(data: &'a [u8]) -> Self {
        let mut d = Self {
            data,
            bp: 0,
            a: 0,
            c: (u32::from(data.first().copied().unwrap_or(0xFF)) ^ 0xFF) << 16,
            ct: 0,
        };
        d.byte_in();
        d.c <<= 7;
        d.ct -= 7;
        d.a = 0x8000;
        d
    }

    fn at(&self, i: usize) -> u32 {
        u32::from(self.data.get(i).copied().unwrap_or(0xFF))
    }

    /// BYTEIN (E.3.4): a 0xFF followed by more than 0x8F is a marker, past which 1 bits are fed.
    fn byte_in(&mut self) {
        if self.at(self.bp) == 0xFF {
            if self.at(self.bp + 1) > 0x8F {
                self.c = self.c.wrapping_add(0xFF00);
                self.ct = 8;
            } else {
                self.bp += 1;
                self.c = self
                    .c
                    .wrapping_add(0xFE00)
                    .wrapping_sub(self.at(self.bp) << 9);
                self.ct = 7;
            }
        } else {
            self.bp += 1;
            self.c = self.c.wrapping_add(0xFF00 - (self.at(self.bp) << 8));
            self.ct = 8;
        }
    }

    /// DECODE (E.3.2) with the MPS and LPS exchanges (E.3.3).
    pub(crate) fn decode(&mut self, cx: &mut Context) -> u8 {
        let index = usize::from(*cx >> 1);
        let mps = *cx & 1;
        let state = &QE_TABLE[index];
        let qe = state.qe;
        self.a -= qe;
        let lps = |cx: &mut Context| {
            let new_mps = if state.switch { 1 - mps } else { mps };
            *cx = (state.nlps << 1) | new_mps;
            1 - mps
        };
        let mps_taken = |cx: &mut Context| {
            *cx = (state.nmps << 1) | mps;
            mps
        };
        let bit;
        if (self.c >> 16) < self.a {
            if self.a & 0x8000 != 0 {
                return mps;
            }
            bit = if self.a < qe { lps(cx) } else { mps_taken(cx) };
        } else {
            self.c = self.c.wrapping_sub(self.a << 16);
            bit = if self.a < qe {
                self.a = qe;
                mps_taken(cx)
            } else {
                self.a = qe;
                lps(cx)
            };
        }
        loop {
            if self.ct == 0 {
                self.byte_in();
            }
            self.a <<= 1;
            self.c = self.c.wrapping_shl(1);
            self.ct -= 1;
            if self.a & 0x8000 != 0 {
                break;
            }
        }
        bit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).expect("hex byte"))
            .collect()
    }

    /// T.88 Annex H.2: 256 bits coded in one context give these 30 bytes.
    const H2_INPUT: &str = "00 02 00 51 00 00 00 C0 03 52 87 2A AA AA AA AA \
                            82 C0 20 00 FC D7 9E F6 BF 7F ED 90 4F 46 A3 BF";
    const H2_CODED: &str = "84 C7 3B FC E1 A1 43 04 02 20 00 00 41 0D BB 86 \
                            F4 31 7F FF 88 FF 37 47 1A DB 6A DF FF AC";

    fn bits(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
        bytes
            .iter()
            .flat_map(|&b| (0..8).rev().map(move |i| (b >> i) & 1))
    }

    #[test]
    fn annex_h2_test_sequence_encodes_to_the_published_bytes() {
        let input = hex(H2_INPUT);
        let mut encoder = MqEncoder::new(64);
        let mut cx = 0;
        for bit in bits(&input) {
            encoder.encode(&mut cx, bit);
        }
        assert_eq!(encoder.finish(), hex(H2_CODED));
    }

    #[test]
    fn annex_h2_test_sequence_decodes_back() {
        let coded = hex(H2_CODED);
        let mut decoder = MqDecoder::new(&coded);
        let mut cx = 0;
        let output: Vec<u8> = (0..256).map(|_| decoder.decode(&mut cx)).collect();
        assert_eq!(output, bits(&hex(H2_INPUT)).collect::<Vec<_>>());
    }

    #[test]
    fn many_contexts_and_skewed_decisions_round_trip() {
        // A small xorshift so the sequence is fixed and covers carries, 0xFF bytes and stuffing.
        let mut state = 0x2545_F491_u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let decisions: Vec<(usize, u8)> = (0..200_000)
            .map(|i| {
                let r = next();
                let cx = (r as usize >> 8) % 7;
                // Context k yields a 1 with probability about 2^-k, context 0 half the time.
                let bit = u8::from(r % (1 << cx) == 0) ^ u8::from(i % 5000 < 3);
                (cx, bit)
            })
            .collect();
        let mut contexts = [0u8; 7];
        let mut encoder = MqEncoder::new(1024);
        for &(cx, bit) in &decisions {
            encoder.encode(&mut contexts[cx], bit);
        }
        let coded = encoder.finish();
        assert_eq!(&coded[coded.len() - 2..], &[0xFF, 0xAC]);
        let mut contexts = [0u8; 7];
        let mut decoder = MqDecoder::new(&coded);
        for (i, &(cx, bit)) in decisions.iter().enumerate() {
            assert_eq!(decoder.decode(&mut contexts[cx]), bit, "decision {i}");
        }
    }
}
