//! What an uploaded attachment is, decided by its bytes and never by its name or the
//! browser's content type: a PNG, JPEG or WebP image only if it decodes as one, a PDF only
//! if it has a PDF header and trailer. Images also get a PNG thumbnail. Pure: bytes in,
//! bytes out (the service runs it on a blocking thread).

use std::io::Cursor;

/// The largest attachment accepted (the 5 MB).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Thumbnails fit in this square.
pub const THUMB_SIDE: u32 = 320;
/// A few hundred bytes can declare a huge canvas (a "decompression bomb": the fuzzer found
/// a 459-byte WebP of 180 megapixels that took seconds to decode); refuse before decoding.
/// 32 megapixels holds a 5K screenshot or a 24-megapixel photo.
const MAX_SIDE: u32 = 16_384;
pub const MAX_PIXELS: u64 = 32_000_000;
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Webp,
    Pdf,
}

impl FileKind {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Webp, Self::Pdf]
            .into_iter()
            .find(|k| k.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
            Self::Pdf => "pdf",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Webp => "WebP",
            Self::Pdf => "PDF",
        }
    }

    fn image_format(self) -> Option<image::ImageFormat> {
        match self {
            Self::Png => Some(image::ImageFormat::Png),
            Self::Jpeg => Some(image::ImageFormat::Jpeg),
            Self::Webp => Some(image::ImageFormat::WebP),
            Self::Pdf => None,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileError {
    #[error("The file is empty")]
    Empty,
    #[error("The file is {0} bytes; attachments may be at most 5 MB (5,242,880 bytes)")]
    TooLarge(usize),
    #[error(
        "Only PNG, JPEG and WebP images and PDF documents can be attached, and this file's \
         content is none of them (whatever its name says)"
    )]
    Unsupported,
    #[error("The file starts like a {kind} but is not a readable {kind}: {reason}")]
    Corrupt { kind: &'static str, reason: String },
    #[error(
        "The image is {0}×{1} pixels; images may be at most 32 megapixels and 16384 pixels \
         on a side"
    )]
    TooManyPixels(u32, u32),
}

/// A file that passed the checks.
#[derive(Debug)]
pub struct CheckedFile {
    pub kind: FileKind,
    /// Pixel size of an image.
    pub size: Option<(u32, u32)>,
    /// PNG thumbnail of an image, fitting in [`THUMB_SIDE`] square.
    pub thumbnail: Option<Vec<u8>>,
}

/// The kind the first bytes announce (not yet proof: see [`check`]).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else if pdf_header_at(bytes).is_some() {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// PDF readers accept the `%PDF-` header anywhere in the first 1024 bytes.
fn pdf_header_at(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).position(|w| w == b"%PDF-")
}

/// Checks a whole upload: size, kind by content, readable, and a thumbnail for images.
pub fn check(bytes: &[u8]) -> Result<CheckedFile, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge(bytes.len()));
    }
    let kind = sniff(bytes).ok_or(FileError::Unsupported)?;
    match kind.image_format() {
        Some(format) => check_image(bytes, kind, format),
        None => check_pdf(bytes).map(|()| CheckedFile {
            kind,
            size: None,
            thumbnail: None,
        }),
    }
}

fn corrupt(kind: FileKind, reason: impl ToString) -> FileError {
    FileError::Corrupt {
        kind: kind.label(),
        reason: reason.to_string(),
    }
}

fn check_pdf(bytes: &[u8]) -> Result<(), FileError> {
    let start = pdf_header_at(bytes).unwrap_or(0);
    let version = &bytes[start + 5..bytes.len().min(start + 8)];
    let valid_version = version.len() == 3
        && matches!(version[0], b'1' | b'2')
        && version[1] == b'.'
        && version[2].is_ascii_digit();
    if !valid_version {
        return Err(corrupt(FileKind::Pdf, "the header has no version like 1.7"));
    }
    // The trailer's end-of-file marker sits in the last kilobyte (after an optional
    // trailing newline or padding); a file cut off in transfer has none.
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(corrupt(
            FileKind::Pdf,
            "there is no %%EOF trailer (the file may be cut short)",
        ));
    }
    Ok(())
}

fn check_image(
    bytes: &[u8],
    kind: FileKind,
    format: image::ImageFormat,
) -> Result<CheckedFile, FileError> {
    let reader = || image::io::Reader::with_format(Cursor::new(bytes), format);
    // image 0.24's WebP decoder decodes the whole frame just to report its size, so a WebP's
    // size is read from its header here.
    let (w, h) = if kind == FileKind::Webp {
        webp_size(bytes).ok_or_else(|| corrupt(kind, "its header has no VP8, VP8L or VP8X size"))?
    } else {
        reader().into_dimensions().map_err(|e| corrupt(kind, e))?
    };
    if w == 0 || h == 0 {
        return Err(corrupt(kind, "it has no pixels"));
    }
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(FileError::TooManyPixels(w, h));
    }
    let mut limits = image::io::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut decoding = reader();
    decoding.limits(limits);
    let img = decoding.decode().map_err(|e| corrupt(kind, e))?;
    let small = if w > THUMB_SIDE || h > THUMB_SIDE {
        img.thumbnail(THUMB_SIDE, THUMB_SIDE)
    } else {
        img
    };
    // Phones store photos as shot and record the turn in EXIF: show them upright.
    let orientation = if kind == FileKind::Jpeg {
        jpeg_orientation(bytes).unwrap_or(1)
    } else {
        1
    };
    let upright = match orientation {
        2 => small.fliph(),
        3 => small.rotate180(),
        4 => small.flipv(),
        5 => small.rotate90().fliph(),
        6 => small.rotate90(),
        7 => small.rotate270().fliph(),
        8 => small.rotate270(),
        _ => small,
    };
    let mut png = Cursor::new(Vec::new());
    upright
        .write_to(&mut png, image::ImageOutputFormat::Png)
        .map_err(|e| corrupt(kind, e))?;
    Ok(CheckedFile {
        kind,
        size: Some(if orientation >= 5 { (h, w) } else { (w, h) }),
        thumbnail: Some(png.into_inner()),
    })
}

/// The EXIF orientation (1-8) of a JPEG, from the APP1 segment before its image data.
fn jpeg_orientation(b: &[u8]) -> Option<u16> {
    let mut i = 2;
    while let (Some(&0xFF), Some(&marker)) = (b.get(i), b.get(i + 1)) {
        match marker {
            // Fill bytes and markers without a length.
            0xFF => i += 1,
            0x01 | 0xD0..=0xD8 => i += 2,
            // Start of scan or end of image: no EXIF comes after.
            0xDA | 0xD9 => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
                let segment = b.get(i + 4..(i + 2 + len).max(i + 4))?;
                if marker == 0xE1 {
                    if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                        return tiff_orientation(tiff);
                    }
                }
                i += 2 + len;
            }
        }
    }
    None
}

/// Tag 0x0112 of a TIFF header's first IFD (either byte order).
fn tiff_orientation(t: &[u8]) -> Option<u16> {
    let little = match t.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = [*t.get(o)?, *t.get(o + 1)?];
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |o: usize| -> Option<usize> {
        let b = [*t.get(o)?, *t.get(o + 1)?, *t.get(o + 2)?, *t.get(o + 3)?];
        let v = if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        };
        usize::try_from(v).ok()
    };
    let ifd = u32_at(4)?;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries.min(1024))
        .map(|k| ifd + 2 + k * 12)
        .find(|&e| u16_at(e) == Some(0x0112))
        .and_then(|e| u16_at(e + 8))
        .filter(|v| (1..=8).contains(v))
}

/// The canvas size a WebP declares in its first chunk (RIFF header, then VP8, VP8L or
/// VP8X; the layouts of RFC 9649 §2.5-2.7).
fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    let chunk = b.get(12..16)?;
    let data = b.get(20..)?;
    let byte = |i: usize| data.get(i).copied();
    let le16 = |i: usize| Some(u32::from(u16::from_le_bytes([byte(i)?, byte(i + 1)?])));
    let le24 = |i: usize| {
        Some(u32::from_le_bytes([
            byte(i)?,
            byte(i + 1)?,
            byte(i + 2)?,
            0,
        ]))
    };
    match chunk {
        b"VP8 " => {
            // 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
            (data.get(3..6)? == [0x9d, 0x01, 0x2a]).then_some(())?;
            Some((le16(6)? & 0x3fff, le16(8)? & 0x3fff))
        }
        b"VP8L" => {
            // Signature 0x2f, then width-1 and height-1 in 14 bits each.
            (byte(0)? == 0x2f).then_some(())?;
            let bits = u32::from_le_bytes([byte(1)?, byte(2)?, byte(3)?, byte(4)?]);
            Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
        }
        // Flags, 3 reserved bytes, then canvas width-1 and height-1 in 24 bits each.
        b"VP8X" => Some((le24(4)? + 1, le24(7)? + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = include_bytes!("../tests/data/attachments/chart.png");
    const WEBP: &[u8] = include_bytes!("../tests/data/attachments/chart.webp");
    const PDF: &[u8] = include_bytes!("../tests/data/attachments/plan.pdf");

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, image::ImageOutputFormat::Jpeg(85))
            .expect("encode");
        out.into_inner()
    }

    fn thumb_size(c: &CheckedFile) -> (u32, u32) {
        let t = c.thumbnail.as_deref().expect("thumbnail");
        assert_eq!(sniff(t), Some(FileKind::Png), "thumbnails are PNG");
        let img = image::load_from_memory(t).expect("thumbnail decodes");
        (img.width(), img.height())
    }

    #[test]
    fn each_kind_is_recognised_by_content_with_its_size_and_thumbnail() {
        let png = check(PNG).expect("png");
        assert_eq!((png.kind, png.size), (FileKind::Png, Some((640, 360))));
        assert_eq!(thumb_size(&png), (320, 180), "aspect ratio kept");

        let jpg = check(&jpeg(400, 1000)).expect("jpeg");
        assert_eq!((jpg.kind, jpg.size), (FileKind::Jpeg, Some((400, 1000))));
        assert_eq!(thumb_size(&jpg), (128, 320));

        let webp = check(WEBP).expect("webp");
        assert_eq!(webp.kind, FileKind::Webp);
        let (w, h) = webp.size.expect("size");
        assert!(w <= THUMB_SIDE && h <= THUMB_SIDE);
        assert_eq!(thumb_size(&webp), (w, h), "small images are not enlarged");

        let pdf = check(PDF).expect("pdf");
        assert_eq!((pdf.kind, pdf.size), (FileKind::Pdf, None));
        assert!(pdf.thumbnail.is_none());
    }

    #[test]
    fn names_do_not_matter_only_bytes() {
        assert_eq!(
            check(b"MZ\x90\x00 an exe").unwrap_err(),
            FileError::Unsupported
        );
        assert_eq!(
            check(b"<html><script>alert(1)</script>").unwrap_err(),
            FileError::Unsupported
        );
        assert_eq!(check(b"GIF89a....").unwrap_err(), FileError::Unsupported);
        assert_eq!(check(b"").unwrap_err(), FileError::Empty);
    }

    #[test]
    fn a_right_header_on_wrong_content_is_refused() {
        let mut fake = PNG[..8].to_vec();
        fake.extend_from_slice(b"not really a png at all");
        assert!(matches!(
            check(&fake),
            Err(FileError::Corrupt { kind: "PNG", .. })
        ));
        let cut = &PNG[..PNG.len() / 2];
        assert!(matches!(
            check(cut),
            Err(FileError::Corrupt { kind: "PNG", .. })
        ));
        let jpg = jpeg(64, 64);
        assert!(matches!(
            check(&jpg[..40]),
            Err(FileError::Corrupt { kind: "JPEG", .. })
        ));
        let cut_pdf = &PDF[..PDF.len() - 10];
        let e = check(cut_pdf).unwrap_err().to_string();
        assert!(e.contains("%%EOF"), "{e}");
        assert!(matches!(
            check(b"%PDF-x.y\n%%EOF"),
            Err(FileError::Corrupt { kind: "PDF", .. })
        ));
    }

    #[test]
    fn too_large_files_and_canvases_are_refused_before_decoding() {
        let big = vec![0u8; MAX_BYTES + 1];
        assert_eq!(check(&big).unwrap_err(), FileError::TooLarge(MAX_BYTES + 1));
        // A valid PNG header declaring 100000 × 100000 pixels.
        let mut bomb = PNG[..16].to_vec();
        bomb.extend_from_slice(&100_000u32.to_be_bytes());
        bomb.extend_from_slice(&100_000u32.to_be_bytes());
        bomb.extend_from_slice(&PNG[24..33]);
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        bomb.extend_from_slice(&PNG[33..]);
        assert_eq!(
            check(&bomb).unwrap_err(),
            FileError::TooManyPixels(100_000, 100_000)
        );
        // The fuzzer's find: 459 bytes of lossy WebP declaring 14436 × 12468 pixels.
        let webp = include_bytes!("../tests/data/attachments/webp_bomb.webp");
        assert_eq!(
            check(webp).unwrap_err(),
            FileError::TooManyPixels(14436, 12468)
        );
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn webp_sizes_come_from_each_header_layout() {
        let (w, h) = webp_size(WEBP).expect("lossy");
        let decoded = image::load_from_memory(WEBP).expect("decodes");
        assert_eq!((w, h), (decoded.width(), decoded.height()));
        let bits: u32 = 639 | (359 << 14);
        let mut lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        lossless.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(webp_size(&lossless), Some((640, 360)));
        let mut extended = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x10\0\0\0".to_vec();
        extended.extend_from_slice(&[0x7f, 0x3e, 0x00, 0x37, 0x04, 0x00]);
        assert_eq!(webp_size(&extended), Some((16_000, 1_080)));
        assert_eq!(webp_size(b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0"), None);
    }

    /// A JPEG with an EXIF APP1 segment saying `orientation`, big-endian TIFF.
    fn jpeg_turned(w: u32, h: u32, orientation: u16) -> Vec<u8> {
        let plain = jpeg(w, h);
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn phone_photos_are_shown_upright() {
        let turned = jpeg_turned(400, 100, 6);
        assert_eq!(jpeg_orientation(&turned), Some(6));
        let c = check(&turned).expect("jpeg with exif");
        assert_eq!(c.size, Some((100, 400)), "the size as seen");
        assert_eq!(thumb_size(&c), (80, 320));
        // Turned a quarter clockwise: the top-left pixel was the bottom-left one (red = x
        // ≈ 0, green = y ≈ 99 in the test image).
        let t = image::load_from_memory(c.thumbnail.as_deref().unwrap())
            .unwrap()
            .to_rgb8();
        let p = t.get_pixel(0, 0);
        assert!(p[0] < 20 && p[1] > 80, "{p:?}");
        let flipped = check(&jpeg_turned(400, 100, 3)).expect("upside down");
        assert_eq!(
            (flipped.size, thumb_size(&flipped)),
            (Some((400, 100)), (320, 80))
        );
        assert_eq!(jpeg_orientation(&jpeg(10, 10)), None);
        assert_eq!(
            jpeg_orientation(&jpeg_turned(10, 10, 9)),
            None,
            "not an orientation"
        );
        // A segment length running past the end is no orientation, not a panic.
        let mut cut = jpeg_turned(10, 10, 6);
        cut.truncate(20);
        assert_eq!(jpeg_orientation(&cut), None);
    }

    #[test]
    fn the_mime_type_round_trips() {
        for k in [FileKind::Png, FileKind::Jpeg, FileKind::Webp, FileKind::Pdf] {
            assert_eq!(FileKind::from_mime(k.mime()), Some(k));
        }
        assert_eq!(FileKind::from_mime("text/html"), None);
    }
}
