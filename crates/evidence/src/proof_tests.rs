use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::Signer;
use litigant_court_api::deposit::{
    Anchor, DepositLogKey, DepositProof, KeyValidity, SignedTreeHead, signed_tree_head_message,
};
use proptest::prelude::*;

use super::*;
use crate::hash::{from_hex32, to_hex};
use crate::merkle::tests::{audit_path, tree_hash};
use crate::merkle::{Hash, leaf_hash};
use crate::trust::{TrustedKey, TrustedKeys, key_id};

const LOG: &str = "litigant-demo-court";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn validity() -> KeyValidity {
    KeyValidity {
        not_before: now() - Duration::days(30),
        not_after: now() + Duration::days(365),
    }
}

struct Fixture {
    file: Vec<u8>,
    proof: DepositProof,
    trusted: TrustedKeys,
}

/// The file is leaf `index` of a tree of `size` leaves, signed by the court key.
fn fixture(size: usize, index: usize) -> Fixture {
    let file = b"the loan contract".to_vec();
    let mut leaves: Vec<Hash> = (0..size)
        .map(|i| leaf_hash(&sha2::Sha256::digest(i.to_be_bytes())))
        .collect();
    let document: [u8; 32] = sha2::Sha256::digest(&file).into();
    leaves[index] = leaf_hash(&document);
    let root = to_hex(&tree_hash(&leaves));
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let head = SignedTreeHead {
        tree_size: size as u64,
        root: root.clone(),
        timestamp: now() - Duration::hours(1),
    };
    let signature = key.sign(signed_tree_head_message(LOG, &head).as_bytes());
    let published = DepositLogKey {
        log_id: LOG.into(),
        key_id: key_id(&key.verifying_key()),
        public_key: base64::engine::general_purpose::STANDARD
            .encode(key.verifying_key().as_bytes()),
        validity: validity(),
        holder: "演示法院 (Demo court)".into(),
    };
    let proof = DepositProof {
        version: 1,
        document_sha256: to_hex(&document),
        leaf_index: index as u64,
        tree_size: size as u64,
        audit_path: audit_path(index, &leaves)
            .iter()
            .map(|h| to_hex(h))
            .collect(),
        root,
        anchor: Anchor {
            log_id: LOG.into(),
            signed_tree_head: head,
            signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
            key_id: published.key_id.clone(),
        },
        key_validity: validity(),
    };
    Fixture {
        file,
        proof,
        trusted: TrustedKeys::new().with(TrustedKey::from_published(&published).unwrap()),
    }
}

use sha2::Digest;

fn failures(fixture: &Fixture) -> Vec<&'static str> {
    verify_proof(
        Subject::Bytes(&fixture.file),
        &fixture.proof,
        &fixture.trusted,
        now(),
    )
    .failures()
    .map(ProofFailure::code)
    .collect()
}

#[test]
fn a_sound_proof_passes_every_check_and_says_what_it_does_not_show() {
    let fixture = fixture(11, 6);
    let result = verify_proof(
        Subject::Bytes(&fixture.file),
        &fixture.proof,
        &fixture.trusted,
        now(),
    );
    assert!(result.passed(), "{result}");
    assert_eq!(result.checks.len(), 8);
    let text = result.to_string();
    assert!(text.contains("not an external blockchain"), "{text}");
    assert!(text.contains("演示法院 (Demo court)"), "{text}");
    // Given only the hash, it says the bytes were not read.
    let by_hash = verify_proof(
        Subject::Sha256(&fixture.proof.document_sha256),
        &fixture.proof,
        &fixture.trusted,
        now(),
    );
    assert!(by_hash.passed());
    assert!(
        by_hash
            .not_checked
            .iter()
            .any(|t| t.contains("only its hash"))
    );
}

#[test]
fn a_tampered_file_fails_only_the_hash_check() {
    let mut fixture = fixture(4, 0);
    fixture.file.push(b'!');
    assert_eq!(failures(&fixture), ["evidence.proof.hash_mismatch"]);
}

#[test]
fn a_tampered_path_or_root_is_named() {
    let mut tampered = fixture(9, 8);
    tampered.proof.audit_path[0] = "00".repeat(32);
    assert_eq!(
        failures(&tampered),
        ["evidence.proof.path_does_not_reach_root"]
    );

    let mut short = fixture(9, 3);
    short.proof.audit_path.pop();
    assert_eq!(failures(&short), ["evidence.proof.path_wrong_length"]);

    let mut moved = fixture(9, 3);
    moved.proof.leaf_index = 2;
    assert_eq!(
        failures(&moved),
        ["evidence.proof.path_does_not_reach_root"]
    );

    let mut beyond = fixture(9, 3);
    beyond.proof.leaf_index = 9;
    assert_eq!(failures(&beyond), ["evidence.proof.index_out_of_range"]);

    // A root the path does not reach, but the anchor signed: the path check fails.
    let mut wrong_root = fixture(9, 3);
    wrong_root.proof.root = "11".repeat(32);
    assert_eq!(
        failures(&wrong_root),
        [
            "evidence.proof.path_does_not_reach_root",
            "evidence.proof.root_differs_from_signed_head"
        ]
    );

    let mut garbage = fixture(9, 3);
    garbage.proof.audit_path[1] = "not a hash".into();
    assert_eq!(failures(&garbage), ["evidence.proof.not_a_hash"]);
}

#[test]
fn a_root_other_than_the_signed_one_is_refused() {
    // A whole forged tree: the path leads to the forged root, but the anchor signed another.
    let mut fixture = fixture(5, 1);
    fixture.proof.anchor.signed_tree_head.root = "22".repeat(32);
    let codes = failures(&fixture);
    assert_eq!(
        codes,
        [
            "evidence.proof.root_differs_from_signed_head",
            "evidence.proof.bad_signature"
        ]
    );
}

#[test]
fn signatures_and_keys_are_checked_with_specific_reasons() {
    let mut bad = fixture(3, 2);
    bad.proof.anchor.signed_tree_head.timestamp += Duration::seconds(1);
    assert_eq!(failures(&bad), ["evidence.proof.bad_signature"]);

    let mut unreadable = fixture(3, 2);
    unreadable.proof.anchor.signature = "AAAA".into();
    assert_eq!(
        failures(&unreadable),
        ["evidence.proof.signature_unreadable"]
    );

    let mut forged = fixture(3, 2);
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    forged.proof.anchor.key_id = key_id(&stranger.verifying_key());
    let result = verify_proof(
        Subject::Bytes(&forged.file),
        &forged.proof,
        &forged.trusted,
        now(),
    );
    assert_eq!(
        result
            .failures()
            .map(ProofFailure::code)
            .collect::<Vec<_>>(),
        ["evidence.proof.unknown_key"]
    );
    assert!(matches!(
        result.outcome(CheckKind::Signature),
        Some(Outcome::Skipped(_))
    ));
    assert!(!result.passed());

    let fixture = fixture(3, 2);
    let expired = verify_proof(
        Subject::Bytes(&fixture.file),
        &fixture.proof,
        &fixture.trusted,
        now() + Duration::days(400),
    );
    let codes: Vec<_> = expired.failures().map(ProofFailure::code).collect();
    assert_eq!(codes, ["evidence.proof.key_expired"]);
    assert!(
        expired
            .failures()
            .next()
            .unwrap()
            .to_string()
            .starts_with("the anchor key expired on 2027-11-30"),
        "{expired}"
    );
    let early = verify_proof(
        Subject::Bytes(&fixture.file),
        &fixture.proof,
        &fixture.trusted,
        now() - Duration::days(31),
    );
    let codes: Vec<_> = early.failures().map(ProofFailure::code).collect();
    // The head's time is then also in the future.
    assert_eq!(
        codes,
        [
            "evidence.proof.key_not_yet_valid",
            "evidence.proof.timestamp_in_future"
        ]
    );
}

#[test]
fn a_head_signed_outside_the_key_validity_is_refused() {
    let mut fixture = fixture(2, 0);
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    fixture.proof.anchor.signed_tree_head.timestamp = now() - Duration::days(60);
    let message = signed_tree_head_message(LOG, &fixture.proof.anchor.signed_tree_head);
    fixture.proof.anchor.signature =
        base64::engine::general_purpose::STANDARD.encode(key.sign(message.as_bytes()).to_bytes());
    assert_eq!(
        failures(&fixture),
        ["evidence.proof.timestamp_outside_key_validity"]
    );

    let mut stated = self::fixture(2, 0);
    stated.proof.key_validity.not_after += Duration::days(3650);
    assert_eq!(
        failures(&stated),
        ["evidence.proof.stated_validity_differs"]
    );

    let mut version = self::fixture(2, 0);
    version.proof.version = 2;
    assert_eq!(failures(&version), ["evidence.proof.unsupported_version"]);
}

#[test]
fn a_key_file_whose_id_is_not_its_key_is_refused() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let published = DepositLogKey {
        log_id: LOG.into(),
        key_id: "00".repeat(32),
        public_key: base64::engine::general_purpose::STANDARD
            .encode(key.verifying_key().as_bytes()),
        validity: validity(),
        holder: "x".into(),
    };
    let error = TrustedKey::from_published(&published).unwrap_err();
    assert_eq!(error.code(), "evidence.malformed");
    assert!(error.to_string().contains("keyId"), "{error}");
}

fn flip(hex: &str, bit: usize) -> String {
    let mut bytes = from_hex32(hex).unwrap();
    bytes[bit / 8] ^= 1 << (bit % 8);
    to_hex(&bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any single flipped bit in the leaf, a path hash, the root, the signed root or the
    /// signature is refused.
    #[test]
    fn any_single_bit_flip_is_refused(
        size in 1_usize..40, index_seed in any::<usize>(), target in 0_usize..5,
        which in any::<usize>(), bit in 0_usize..512,
    ) {
        let mut fixture = fixture(size, index_seed % size);
        let hash_bit = bit % 256;
        match target {
            0 => fixture.proof.document_sha256 = flip(&fixture.proof.document_sha256, hash_bit),
            1 => {
                if !fixture.proof.audit_path.is_empty() {
                    let at = which % fixture.proof.audit_path.len();
                    fixture.proof.audit_path[at] = flip(&fixture.proof.audit_path[at], hash_bit);
                }
            }
            2 => fixture.proof.root = flip(&fixture.proof.root, hash_bit),
            3 => {
                let head = &mut fixture.proof.anchor.signed_tree_head;
                head.root = flip(&head.root, hash_bit);
            }
            _ => {
                let mut bytes = base64::engine::general_purpose::STANDARD
                    .decode(&fixture.proof.anchor.signature).unwrap();
                bytes[bit / 8] ^= 1 << (bit % 8);
                fixture.proof.anchor.signature = base64::engine::general_purpose::STANDARD.encode(bytes);
            }
        }
        let result = verify_proof(Subject::Bytes(&fixture.file), &fixture.proof, &fixture.trusted, now());
        // A tree of one leaf has no path: the flip then had nothing to hit.
        let untouched = target == 1 && fixture.proof.audit_path.is_empty();
        prop_assert_eq!(result.passed(), untouched, "{}", result);
    }
}
