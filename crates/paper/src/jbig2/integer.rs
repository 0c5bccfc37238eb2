//! Arithmetic integer coding (T.88 Annex A.2, the `IAx` procedures) and symbol ID coding (A.3,
//! IAID), which the symbol dictionary and the text region use for every number they carry.

use super::mq::{Context, MqEncoder};

/// The contexts of one `IAx` procedure (IADH, IADW, IAEX, IADT, IAFS, IADS, IAIT, IARI, IARDW,
/// IARDH, IARDX, IARDY): 512, indexed by PREV, which starts at 1 for every number.
pub(crate) struct IntegerContexts(Vec<Context>);

/// The value ranges of Table A.1 in order: how many prefix 1 bits select the range, the
/// number of value bits, and the lowest magnitude it holds.
const RANGES: [(u32, u32); 6] = [(2, 0), (4, 4), (6, 20), (8, 84), (12, 340), (32, 4436)];

impl IntegerContexts {
    pub(crate) fn new() -> Self {
        Self(vec![0; 512])
    }

    /// Codes `value`; `None` is OOB (out of band: sign 1, magnitude 0), which ends a height
    /// class in a dictionary and a strip in a text region.
    pub(crate) fn encode(&mut self, coder: &mut MqEncoder, value: Option<i32>) {
        let mut prev = 1usize;
        let mut bit = |coder: &mut MqEncoder, d: u8| {
            coder.encode(&mut self.0[prev], d);
            // A.2: PREV keeps the last eight bits and a ninth that marks the long ranges.
            prev = if prev < 256 {
                (prev << 1) | usize::from(d)
            } else {
                (((prev << 1) | usize::from(d)) & 511) | 256
            };
        };
        let Some(value) = value else {
            for d in [1, 0, 0, 0] {
                bit(coder, d);
            }
            return;
        };
        bit(coder, u8::from(value < 0));
        let magnitude = value.unsigned_abs();
        let range = RANGES
            .iter()
            .rposition(|&(_, low)| magnitude >= low)
            .expect("the first range starts at 0");
        for _ in 0..range {
            bit(coder, 1);
        }
        if range < RANGES.len() - 1 {
            bit(coder, 0);
        }
        let (bits, low) = RANGES[range];
        let offset = magnitude - low;
        for i in (0..bits).rev() {
            bit(coder, ((offset >> i) & 1) as u8);
        }
    }

    /// The decoding procedure of A.2, only to check the encoder against.
    #[cfg(test)]
    pub(crate) fn decode(&mut self, decoder: &mut super::mq::MqDecoder<'_>) -> Option<i32> {
        let mut prev = 1usize;
        let mut bit = || {
            let d = decoder.decode(&mut self.0[prev]);
            prev = if prev < 256 {
                (prev << 1) | usize::from(d)
            } else {
                (((prev << 1) | usize::from(d)) & 511) | 256
            };
            u32::from(d)
        };
        let negative = bit() == 1;
        let mut range = 0;
        while range < RANGES.len() - 1 && bit() == 1 {
            range += 1;
        }
        let (bits, low) = RANGES[range];
        let mut offset = 0u32;
        for _ in 0..bits {
            offset = (offset << 1) | bit();
        }
        let magnitude = i64::from(offset) + i64::from(low);
        match (negative, magnitude) {
            (true, 0) => None,
            (true, m) => Some(i32::try_from(-m).expect("test values fit")),
            (false, m) => Some(i32::try_from(m).expect("test values fit")),
        }
    }
}

/// The IAID contexts (A.3): a binary tree of `2^length` leaves, one context per inner node.
pub(crate) struct SymbolIdContexts {
    length: u32,
    contexts: Vec<Context>,
}

impl SymbolIdContexts {
    /// `length` is SBSYMCODELEN, ⌈log2 SBNUMSYMS⌉ for arithmetic coding (7.4.3.1.7 / 6.4.10).
    pub(crate) fn for_symbol_count(count: usize) -> Self {
        let length = count.max(1).next_power_of_two().trailing_zeros();
        Self {
            length,
            contexts: vec![0; 1 << (length + 1)],
        }
    }

    pub(crate) fn encode(&mut self, coder: &mut MqEncoder, id: usize) {
        debug_assert!(id < 1 << self.length || (id == 0 && self.length == 0));
        let mut prev = 1usize;
        for i in (0..self.length).rev() {
            let d = ((id >> i) & 1) as u8;
            coder.encode(&mut self.contexts[prev], d);
            prev = (prev << 1) | usize::from(d);
        }
    }

    #[cfg(test)]
    pub(crate) fn decode(&mut self, decoder: &mut super::mq::MqDecoder<'_>) -> usize {
        let mut prev = 1usize;
        for _ in 0..self.length {
            let d = decoder.decode(&mut self.contexts[prev]);
            prev = (prev << 1) | usize::from(d);
        }
        prev - (1 << self.length)
    }
}

#[cfg(test)]
mod tests {
    use super::super::mq::MqDecoder;
    use super::*;

    #[test]
    fn every_range_boundary_sign_and_oob_round_trips() {
        let mut values: Vec<Option<i32>> = vec![None];
        for low in [0, 4, 20, 84, 340, 4436] {
            for v in [low - 1, low, low + 1] {
                if v >= 0 {
                    values.extend([Some(v), Some(-v), None]);
                }
            }
        }
        values.extend([
            Some(1_000_000),
            Some(-77_777),
            Some(i32::MAX),
            None,
            Some(0),
        ]);
        let mut contexts = IntegerContexts::new();
        let mut coder = MqEncoder::new(64);
        for &v in &values {
            contexts.encode(&mut coder, v);
        }
        let data = coder.finish();
        let mut contexts = IntegerContexts::new();
        let mut decoder = MqDecoder::new(&data);
        for (i, &v) in values.iter().enumerate() {
            // −0 is not a value: 0 is coded with sign 0 and comes back as 0.
            assert_eq!(contexts.decode(&mut decoder), v, "value {i}");
        }
    }

    #[test]
    fn symbol_ids_round_trip_for_one_two_and_odd_counts() {
        for count in [1usize, 2, 3, 5, 64, 65, 1000] {
            let ids: Vec<usize> = (0..300).map(|i| (i * 7919 + i / 3) % count).collect();
            let mut contexts = SymbolIdContexts::for_symbol_count(count);
            let mut coder = MqEncoder::new(64);
            for &id in &ids {
                contexts.encode(&mut coder, id);
            }
            let data = coder.finish();
            let mut contexts = SymbolIdContexts::for_symbol_count(count);
            let mut decoder = MqDecoder::new(&data);
            for &id in &ids {
                assert_eq!(contexts.decode(&mut decoder), id, "{count} symbols");
            }
        }
    }
}
