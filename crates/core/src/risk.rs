//! The picture half of the risk signals: a perceptual hash of each
//! screenshot, taken once at intake or attach, so the store finds a copy
//! that was re-encoded, resized or recompressed by index (`screenshot_bands`).

use image_hasher::{HashAlg, HasherConfig};

/// Pixels past which a screenshot is not decoded for hashing (a phone
/// screenshot is about 3 million); the content hash still applies.
const MAX_PIXELS: u64 = 40_000_000;

/// A 64-bit gradient hash (dHash) of the picture, or `None` when the bytes
/// do not decode as an image we read. Gradients survive re-encoding and
/// scaling; two copies land within a few bits.
pub fn perceptual_hash(bytes: &[u8]) -> Option<u64> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let (w, h) = reader.into_dimensions().ok()?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return None;
    }
    let picture = image::load_from_memory(bytes).ok()?;
    let hasher = HasherConfig::new()
        .hash_size(8, 8)
        .hash_alg(HashAlg::Gradient)
        .to_hasher();
    let hash = hasher.hash_image(&picture);
    let raw: [u8; 8] = hash.as_bytes().try_into().ok()?;
    Some(u64::from_be_bytes(raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, RgbImage};

    /// A receipt-like picture: bands of text-ish blocks on white.
    fn receipt(w: u32, h: u32, shift: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let row = (y * 20 / h + shift) % 7;
            let col = x * 10 / w;
            if (row + col).is_multiple_of(3) {
                Rgb([30, 30, 40])
            } else {
                Rgb([250, 250, 245])
            }
        })
    }

    fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_resized_jpeg_of_a_png_is_within_a_few_bits_and_another_picture_is_not() {
        let original = receipt(720, 1280, 0);
        let png = perceptual_hash(&encode(&original, ImageFormat::Png)).unwrap();
        let small =
            image::imageops::resize(&original, 360, 640, image::imageops::FilterType::Triangle);
        let jpeg = perceptual_hash(&encode(&small, ImageFormat::Jpeg)).unwrap();
        let other = perceptual_hash(&encode(&receipt(720, 1280, 3), ImageFormat::Png)).unwrap();
        assert!(
            (png ^ jpeg).count_ones() <= 3,
            "copy: {} bits",
            (png ^ jpeg).count_ones()
        );
        assert!(
            (png ^ other).count_ones() > 10,
            "other: {} bits",
            (png ^ other).count_ones()
        );
    }

    #[test]
    fn bytes_that_are_not_a_picture_have_no_hash() {
        assert_eq!(perceptual_hash(b"%PDF-1.4 not a picture"), None);
        assert_eq!(perceptual_hash(&[0x89, b'P', b'N', b'G', 0, 0]), None);
    }
}
