//! The one call into libdeflate that its safe wrapper (libdeflater) does not offer: a
//! gzip body decoded with the count of input bytes it used, so that a body with more
//! after its first member (more members, padding, junk) is told apart from one member.
//! The crate's only unsafe code besides the store's file layer (store/gather.rs).
#![allow(unsafe_code)]

use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_free_decompressor, libdeflate_gzip_decompress_ex,
    libdeflate_result_LIBDEFLATE_SUCCESS,
};

/// Decodes `raw` into `out` if it is exactly one gzip member, checked against its
/// trailer's CRC-32 and size, that fits `out`; the bytes written.
pub(super) fn gzip_one_member(raw: &[u8], out: &mut [u8]) -> Option<usize> {
    // SAFETY: no arguments; null when out of memory, checked below.
    let decompressor = unsafe { libdeflate_alloc_decompressor() };
    if decompressor.is_null() {
        return None;
    }
    let (mut used, mut written) = (0usize, 0usize);
    // SAFETY: the decompressor is live until freed below; libdeflate reads at most
    // `raw.len()` bytes from `raw`, writes at most `out.len()` bytes to `out`, and writes
    // the two counts through pointers to locals that outlive the call.
    let result = unsafe {
        let result = libdeflate_gzip_decompress_ex(
            decompressor,
            raw.as_ptr().cast(),
            raw.len(),
            out.as_mut_ptr().cast(),
            out.len(),
            &mut used,
            &mut written,
        );
        libdeflate_free_decompressor(decompressor);
        result
    };
    (result == libdeflate_result_LIBDEFLATE_SUCCESS && used == raw.len()).then_some(written)
}
