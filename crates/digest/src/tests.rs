use proptest::prelude::*;
use sha2::Digest;

use super::{Sha256, digest, hex, update_both_with};

fn reference(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

#[test]
fn standard_vectors() {
    // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
    let cases: [(&[u8], &str); 3] = [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(hex(&digest(input)), expected);
    }
    let million = vec![b'a'; 1_000_000];
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    for paired in [true, false] {
        let (mut a, mut b) = (Sha256::new(), Sha256::new());
        update_both_with(&mut a, &mut b, &million, paired);
        assert_eq!(hex(&a.finalize()), expected);
        assert_eq!(hex(&b.finalize()), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn incremental_hashing_matches_the_reference(
        data in proptest::collection::vec(any::<u8>(), 0..4096),
        cuts in proptest::collection::vec(0usize..4096, 0..6),
    ) {
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
        cuts.sort_unstable();
        let mut hash = Sha256::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([data.len()]) {
            hash.update(&data[from..cut]);
            from = cut;
        }
        prop_assert_eq!(hash.length(), data.len() as u64);
        prop_assert_eq!(hash.finalize(), reference(&data));
    }

    /// Whichever kernel this CPU runs agrees with `sha2`'s compression, from any state.
    #[test]
    fn the_kernels_agree_with_the_portable_compression(
        blocks in proptest::collection::vec(any::<u8>(), 0..20).prop_map(|seed| {
            seed.iter().flat_map(|&b| (0..64u8).map(move |i| b.wrapping_mul(31).wrapping_add(i))).collect::<Vec<u8>>()
        }),
        first in any::<[u32; 8]>(),
        second in any::<[u32; 8]>(),
    ) {
        let (mut one, mut expected_first) = (first, first);
        crate::kernel::compress_one(&mut one, &blocks);
        crate::kernel::portable(&mut expected_first, &blocks);
        prop_assert_eq!(one, expected_first);
        let (mut a, mut b, mut expected_second) = (first, second, second);
        crate::kernel::compress_two(&mut a, &mut b, &blocks);
        crate::kernel::portable(&mut expected_second, &blocks);
        prop_assert_eq!(a, expected_first);
        prop_assert_eq!(b, expected_second);
    }

    /// The upload's shape: the whole file's hash runs on while each chunk's starts afresh at
    /// the chunk's offset, and bytes arrive in pieces of any size.
    #[test]
    fn a_file_and_its_chunks_hashed_together(
        data in proptest::collection::vec(any::<u8>(), 0..6000),
        chunk in 1usize..2500,
        piece in 1usize..700,
        paired in any::<bool>(),
    ) {
        let mut whole = Sha256::new();
        for (index, bytes) in data.chunks(chunk).enumerate() {
            let mut part = Sha256::new();
            for piece in bytes.chunks(piece) {
                update_both_with(&mut whole, &mut part, piece, paired);
            }
            prop_assert_eq!(part.finalize(), reference(bytes), "chunk {}", index);
        }
        prop_assert_eq!(whole.finalize(), reference(&data));
    }
}
