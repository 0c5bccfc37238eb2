//! Compression with the x86 SHA extensions (SHA-NI) of one state or of two over the same
//! blocks, after Intel's description of the instructions: `sha256rnds2` does two rounds on a state split into the registers
//! {A,B,E,F} and {C,D,G,H}; `sha256msg1`/`sha256msg2` extend the message schedule four words
//! at a time.

use std::arch::x86_64::{
    __m128i, _mm_add_epi32, _mm_alignr_epi8, _mm_extract_epi32, _mm_set_epi8, _mm_set_epi32,
    _mm_set_epi64x, _mm_sha256msg1_epu32, _mm_sha256msg2_epu32, _mm_sha256rnds2_epu32,
    _mm_shuffle_epi8, _mm_shuffle_epi32,
};

/// FIPS 180-4 §4.2.2.
const K: [u32; 64] = [
    0x428a_2f98,
    0x7137_4491,
    0xb5c0_fbcf,
    0xe9b5_dba5,
    0x3956_c25b,
    0x59f1_11f1,
    0x923f_82a4,
    0xab1c_5ed5,
    0xd807_aa98,
    0x1283_5b01,
    0x2431_85be,
    0x550c_7dc3,
    0x72be_5d74,
    0x80de_b1fe,
    0x9bdc_06a7,
    0xc19b_f174,
    0xe49b_69c1,
    0xefbe_4786,
    0x0fc1_9dc6,
    0x240c_a1cc,
    0x2de9_2c6f,
    0x4a74_84aa,
    0x5cb0_a9dc,
    0x76f9_88da,
    0x983e_5152,
    0xa831_c66d,
    0xb003_27c8,
    0xbf59_7fc7,
    0xc6e0_0bf3,
    0xd5a7_9147,
    0x06ca_6351,
    0x1429_2967,
    0x27b7_0a85,
    0x2e1b_2138,
    0x4d2c_6dfc,
    0x5338_0d13,
    0x650a_7354,
    0x766a_0abb,
    0x81c2_c92e,
    0x9272_2c85,
    0xa2bf_e8a1,
    0xa81a_664b,
    0xc24b_8b70,
    0xc76c_51a3,
    0xd192_e819,
    0xd699_0624,
    0xf40e_3585,
    0x106a_a070,
    0x19a4_c116,
    0x1e37_6c08,
    0x2748_774c,
    0x34b0_bcb5,
    0x391c_0cb3,
    0x4ed8_aa4a,
    0x5b9c_ca4f,
    0x682e_6ff3,
    0x748f_82ee,
    0x78a5_636f,
    0x84c8_7814,
    0x8cc7_0208,
    0x90be_fffa,
    0xa450_6ceb,
    0xbef9_a3f7,
    0xc671_78f2,
];

pub(super) fn available() -> bool {
    std::arch::is_x86_feature_detected!("sha")
        && std::arch::is_x86_feature_detected!("sse2")
        && std::arch::is_x86_feature_detected!("ssse3")
        && std::arch::is_x86_feature_detected!("sse4.1")
}

pub(super) fn compress<const N: usize>(states: [&mut [u32; 8]; N], blocks: &[u8]) {
    assert!(available(), "the caller checks for the SHA extensions");
    #[allow(
        unsafe_code,
        reason = "calling a function compiled for the SHA extensions, which `available` has just confirmed this CPU has; the function itself is safe code"
    )]
    // SAFETY: the target features `compress_states` is compiled with are present (asserted
    // above).
    unsafe {
        compress_states(states, blocks);
    }
}

/// Reinterprets a little-endian lane order: `_mm_set_epi32` takes the highest lane first.
fn lanes(v: [u32; 4]) -> [i32; 4] {
    v.map(u32::cast_signed)
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn set(high_to_low: [u32; 4]) -> __m128i {
    let [a, b, c, d] = lanes(high_to_low);
    _mm_set_epi32(a, b, c, d)
}

/// Words `4 * group .. 4 * group + 4` of a block, big-endian, the first in the lowest lane:
/// sixteen bytes as they lie (one load), then each word's bytes reversed.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn message(block: &[u8; 64], group: usize) -> __m128i {
    let half = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&block[at..at + 8]);
        i64::from_le_bytes(bytes)
    };
    let raw = _mm_set_epi64x(half(16 * group + 8), half(16 * group));
    let swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    _mm_shuffle_epi8(raw, swap)
}

/// The next four schedule words from the four before them, oldest first:
/// W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn schedule(oldest: __m128i, older: __m128i, newer: __m128i, newest: __m128i) -> __m128i {
    let partial = _mm_sha256msg1_epu32(oldest, older);
    let seventh = _mm_alignr_epi8::<4>(newest, newer);
    _mm_sha256msg2_epu32(_mm_add_epi32(partial, seventh), newest)
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn lane(v: __m128i, index: usize) -> u32 {
    let value = match index {
        0 => _mm_extract_epi32::<0>(v),
        1 => _mm_extract_epi32::<1>(v),
        2 => _mm_extract_epi32::<2>(v),
        _ => _mm_extract_epi32::<3>(v),
    };
    value.cast_unsigned()
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn compress_states<const N: usize>(states: [&mut [u32; 8]; N], blocks: &[u8]) {
    // Each state as {A,B,E,F} and {C,D,G,H}, A and C in the highest lane.
    let abef_of = |h: &[u32; 8]| set([h[0], h[1], h[4], h[5]]);
    let cdgh_of = |h: &[u32; 8]| set([h[2], h[3], h[6], h[7]]);
    let mut abef: [__m128i; N] = std::array::from_fn(|s| abef_of(states[s]));
    let mut cdgh: [__m128i; N] = std::array::from_fn(|s| cdgh_of(states[s]));
    for block in blocks.chunks_exact(64) {
        let block: &[u8; 64] = block.try_into().expect("chunks of 64 bytes");
        let (abef_before, cdgh_before) = (abef, cdgh);
        // Four rounds of both states with message words `words` (group `group` of the block).
        let mut rounds = |words: __m128i, group: usize| {
            let k = &K[4 * group..4 * group + 4];
            let low = _mm_add_epi32(words, set([k[3], k[2], k[1], k[0]]));
            let high = _mm_shuffle_epi32::<0x0E>(low);
            // Independent chains: while one state's round waits on its result, the other's
            // issues.
            for s in 0..N {
                cdgh[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], low);
                abef[s] = _mm_sha256rnds2_epu32(abef[s], cdgh[s], high);
            }
        };
        // The schedule's last four groups of four words stay in registers, named by position.
        let mut w0 = message(block, 0);
        rounds(w0, 0);
        let mut w1 = message(block, 1);
        rounds(w1, 1);
        let mut w2 = message(block, 2);
        rounds(w2, 2);
        let mut w3 = message(block, 3);
        rounds(w3, 3);
        for group in (4..16).step_by(4) {
            w0 = schedule(w0, w1, w2, w3);
            rounds(w0, group);
            w1 = schedule(w1, w2, w3, w0);
            rounds(w1, group + 1);
            w2 = schedule(w2, w3, w0, w1);
            rounds(w2, group + 2);
            w3 = schedule(w3, w0, w1, w2);
            rounds(w3, group + 3);
        }
        for s in 0..N {
            abef[s] = _mm_add_epi32(abef[s], abef_before[s]);
            cdgh[s] = _mm_add_epi32(cdgh[s], cdgh_before[s]);
        }
    }
    for (s, h) in states.into_iter().enumerate() {
        *h = [
            lane(abef[s], 3),
            lane(abef[s], 2),
            lane(cdgh[s], 3),
            lane(cdgh[s], 2),
            lane(abef[s], 1),
            lane(abef[s], 0),
            lane(cdgh[s], 1),
            lane(cdgh[s], 0),
        ];
    }
}
