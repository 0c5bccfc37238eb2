//! Compression of whole 64-byte blocks. On x86-64 with the SHA extensions: this crate's kernel,
//! which for two states computes the message schedule once and interleaves their rounds.
//! Elsewhere: the `sha2` crate's compression, a state at a time.

use sha2::digest::generic_array::GenericArray;

#[cfg(target_arch = "x86_64")]
mod x86;

/// Whether the SHA-extension kernel runs on this CPU.
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        x86::available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Compresses `blocks` (a multiple of 64 bytes) into `state`.
pub(crate) fn compress_one(state: &mut [u32; 8], blocks: &[u8]) {
    debug_assert_eq!(blocks.len() % 64, 0);
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        x86::compress([state], blocks);
        return;
    }
    portable(state, blocks);
}

/// Compresses `blocks` (a multiple of 64 bytes) into both states.
pub(crate) fn compress_two(first: &mut [u32; 8], second: &mut [u32; 8], blocks: &[u8]) {
    debug_assert_eq!(blocks.len() % 64, 0);
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        x86::compress([first, second], blocks);
        return;
    }
    portable(first, blocks);
    portable(second, blocks);
}

/// `sha2`'s compression (which uses the CPU's own SHA instructions where it knows them).
pub(crate) fn portable(state: &mut [u32; 8], blocks: &[u8]) {
    for block in blocks.chunks_exact(64) {
        sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)));
    }
}
