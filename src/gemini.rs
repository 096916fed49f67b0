//! Gemini's own formats and trust, apart from the client (the fetcher's gemini module):
//! gemtext, read as a page and as a gemlog; and the certificates of hosts trusted on
//! first use.

pub mod gemtext;
pub mod trust;
