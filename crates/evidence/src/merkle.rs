//! RFC 6962 Merkle tree hashing, the reader's side: from a leaf and its audit path back to a
//! root. The leaf hash is SHA-256(0x00 || data) and an inner node SHA-256(0x01 || left ||
//! right); the different prefixes keep a leaf from passing for an inner node.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    hasher.finalize().into()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// Why an audit path cannot be followed to a root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathShape {
    /// The leaf index is not below the tree size.
    IndexOutOfRange,
    /// The path has hashes left over after reaching the top.
    TooLong { expected: usize },
    /// The path ends before the top.
    TooShort { expected: usize },
}

/// How many hashes the audit path of leaf `index` in a tree of `size` leaves has.
pub fn audit_path_length(index: u64, size: u64) -> usize {
    let (mut last, mut index, mut length) = (size - 1, index, 0);
    while last > 0 {
        // A right-most node without a sibling at this level is carried up without a hash.
        if index % 2 == 1 || index != last {
            length += 1;
        }
        index /= 2;
        last /= 2;
    }
    length
}

/// The root an audit path leads to (RFC 9162 §2.1.3.2, the inclusion check's algorithm).
pub fn root_from_path(index: u64, size: u64, leaf: Hash, path: &[Hash]) -> Result<Hash, PathShape> {
    if index >= size {
        return Err(PathShape::IndexOutOfRange);
    }
    let expected = audit_path_length(index, size);
    let (mut node, mut last, mut root) = (index, size - 1, leaf);
    for sibling in path {
        if last == 0 {
            return Err(PathShape::TooLong { expected });
        }
        if node % 2 == 1 || node == last {
            root = node_hash(sibling, &root);
            if node % 2 == 0 {
                // A right-most left child: climb while it stays one, since those levels
                // contribute no sibling.
                while node % 2 == 0 && node != 0 {
                    node >>= 1;
                    last >>= 1;
                }
            }
        } else {
            root = node_hash(&root, sibling);
        }
        node >>= 1;
        last >>= 1;
    }
    if last != 0 {
        return Err(PathShape::TooShort { expected });
    }
    Ok(root)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 6962 §2.1's MTH, written from its definition (split at the largest power of two
    /// below n), independently of the path-following code it checks.
    pub fn tree_hash(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => Sha256::digest([]).into(),
            1 => leaves[0],
            n => {
                let k = split(n);
                node_hash(&tree_hash(&leaves[..k]), &tree_hash(&leaves[k..]))
            }
        }
    }

    /// RFC 6962 §2.1.1's PATH(m, D[n]).
    pub fn audit_path(index: usize, leaves: &[Hash]) -> Vec<Hash> {
        if leaves.len() <= 1 {
            return Vec::new();
        }
        let k = split(leaves.len());
        if index < k {
            let mut path = audit_path(index, &leaves[..k]);
            path.push(tree_hash(&leaves[k..]));
            path
        } else {
            let mut path = audit_path(index - k, &leaves[k..]);
            path.push(tree_hash(&leaves[..k]));
            path
        }
    }

    fn split(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    pub fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(&(i as u64).to_be_bytes()))
            .collect()
    }

    #[test]
    fn every_leaf_of_every_small_tree_leads_to_its_root() {
        for size in 1..=33_usize {
            let leaves = leaves(size);
            let root = tree_hash(&leaves);
            for index in 0..size {
                let path = audit_path(index, &leaves);
                assert_eq!(path.len(), audit_path_length(index as u64, size as u64));
                assert_eq!(
                    root_from_path(index as u64, size as u64, leaves[index], &path),
                    Ok(root),
                    "leaf {index} of {size}"
                );
            }
        }
    }

    #[test]
    fn a_path_of_the_wrong_shape_is_named() {
        let leaves = leaves(5);
        let path = audit_path(2, &leaves);
        assert_eq!(
            root_from_path(5, 5, leaves[2], &path),
            Err(PathShape::IndexOutOfRange)
        );
        assert_eq!(
            root_from_path(2, 5, leaves[2], &path[..2]),
            Err(PathShape::TooShort { expected: 3 })
        );
        let mut longer = path.clone();
        longer.push(leaves[0]);
        assert_eq!(
            root_from_path(2, 5, leaves[2], &longer),
            Err(PathShape::TooLong { expected: 3 })
        );
    }

    proptest! {
        /// Any single flipped bit in the leaf or in any hash of the path changes the root.
        #[test]
        fn a_flipped_bit_never_reaches_the_root(
            size in 1_usize..70, index_seed in any::<usize>(), bit in 0_usize..256, in_leaf in any::<bool>(), which in any::<usize>()
        ) {
            let leaves = leaves(size);
            let index = index_seed % size;
            let root = tree_hash(&leaves);
            let mut leaf = leaves[index];
            let mut path = audit_path(index, &leaves);
            if in_leaf || path.is_empty() {
                leaf[bit / 8] ^= 1 << (bit % 8);
            } else {
                let at = which % path.len();
                path[at][bit / 8] ^= 1 << (bit % 8);
            }
            let reached = root_from_path(index as u64, size as u64, leaf, &path);
            prop_assert_ne!(reached, Ok(root));
        }
    }
}
