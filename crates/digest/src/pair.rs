//! Two SHA-256 states over the same blocks. On x86-64 with the SHA extensions the message
//! schedule is computed once per block and the two states' rounds are interleaved; elsewhere
//! each state is compressed on its own.

#[cfg(target_arch = "x86_64")]
mod x86;

/// Whether [`compress`] takes the single pass on this CPU.
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

/// Compresses `blocks` (a multiple of 64 bytes) into both states.
pub(crate) fn compress(first: &mut [u32; 8], second: &mut [u32; 8], blocks: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        x86::compress(first, second, blocks);
        return;
    }
    crate::compress(first, blocks);
    crate::compress(second, blocks);
}
