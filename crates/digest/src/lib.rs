//! SHA-256 for uploads, where every byte is hashed twice: into the whole file's hash (kept in
//! the case file and compared with the platform's) and into the checksum of the tus chunk it
//! travels in. [`update_both`] feeds the same bytes to two hashes and, on a CPU with the SHA
//! extensions, computes each 64-byte block's message schedule once and runs the two states'
//! rounds interleaved, which costs little more than one hash: a round instruction's latency is
//! about twice its issue interval, so one state alone leaves half the unit idle.
//!
//! What must hold: every function here gives exactly the SHA-256 of FIPS 180-4; the tests
//! compare with the `sha2` crate over random lengths and split points, and with the standard's
//! test vectors, and the kernels with `sha2`'s compression.

mod kernel;

const BLOCK: usize = 64;

/// FIPS 180-4 §5.3.3.
const INITIAL: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// An incremental SHA-256.
#[derive(Debug, Clone)]
pub struct Sha256 {
    state: [u32; 8],
    /// Bytes of a block not yet compressed; `filled` of them are valid.
    block: [u8; BLOCK],
    filled: usize,
    length: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    pub fn new() -> Self {
        Self {
            state: INITIAL,
            block: [0; BLOCK],
            filled: 0,
            length: 0,
        }
    }

    /// How many bytes have been hashed.
    pub fn length(&self) -> u64 {
        self.length
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.length += data.len() as u64;
        if self.filled > 0 {
            data = self.fill(data);
            if self.filled < BLOCK {
                return;
            }
            compress(&mut self.state, &self.block);
            self.filled = 0;
        }
        let whole = data.len() - data.len() % BLOCK;
        compress(&mut self.state, &data[..whole]);
        self.fill(&data[whole..]);
    }

    /// Copies what fits of `data` into the pending block; returns the rest.
    fn fill<'a>(&mut self, data: &'a [u8]) -> &'a [u8] {
        let take = data.len().min(BLOCK - self.filled);
        self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
        self.filled += take;
        &data[take..]
    }

    pub fn finalize(mut self) -> [u8; 32] {
        let bits = self.length.wrapping_mul(8);
        // FIPS 180-4 §5.1.1: a one bit, zeros, then the length in bits in the last 8 bytes.
        let mut tail = [0u8; 2 * BLOCK];
        tail[..self.filled].copy_from_slice(&self.block[..self.filled]);
        tail[self.filled] = 0x80;
        let end = if self.filled < BLOCK - 8 {
            BLOCK
        } else {
            2 * BLOCK
        };
        tail[end - 8..end].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.state, &tail[..end]);
        let mut out = [0u8; 32];
        for (bytes, word) in out.chunks_exact_mut(4).zip(self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// The SHA-256 of `data`.
pub fn digest(data: &[u8]) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(data);
    hash.finalize()
}

/// Lowercase hex, as the platform and the case file write hashes.
pub fn hex(digest: &[u8; 32]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Feeds `data` to both hashes; the same as `first.update(data); second.update(data)`.
///
/// The single pass applies while the two stand at the same place within a block, which an
/// upload keeps by starting every chunk at a multiple of 64 bytes; otherwise each is updated
/// on its own.
pub fn update_both(first: &mut Sha256, second: &mut Sha256, data: &[u8]) {
    update_both_with(first, second, data, kernel::available());
}

fn update_both_with(first: &mut Sha256, second: &mut Sha256, mut data: &[u8], paired: bool) {
    if !paired || first.filled != second.filled {
        first.update(data);
        second.update(data);
        return;
    }
    if first.filled > 0 {
        let head = data.len().min(BLOCK - first.filled);
        first.update(&data[..head]);
        second.update(&data[..head]);
        data = &data[head..];
        if data.is_empty() {
            return;
        }
    }
    // Both blocks are empty here.
    let whole = data.len() - data.len() % BLOCK;
    kernel::compress_two(&mut first.state, &mut second.state, &data[..whole]);
    first.length += whole as u64;
    second.length += whole as u64;
    first.update(&data[whole..]);
    second.update(&data[whole..]);
}

fn compress(state: &mut [u32; 8], blocks: &[u8]) {
    kernel::compress_one(state, blocks);
}

#[cfg(test)]
mod tests;
