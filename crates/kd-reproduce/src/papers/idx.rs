//! The IDX format of the official MNIST files (LeCun et al., "THE MNIST DATABASE of handwritten
//! digits"): a big-endian header — two zero bytes, the element type (`0x08`, unsigned byte), the
//! number of dimensions `d` — then `d` big-endian `u32` sizes and the bytes, row-major. The
//! shipped files are gzip'd (`data/mnist/mnist_t10k-*-ubyte.gz`, the 10,000 official test
//! images and their labels).
//!
//! Written by hand: the format is a 4-byte magic and a few sizes, less code than a dependency.

use std::io::Read as _;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};

/// An IDX array of unsigned bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxBytes {
    /// The sizes of the dimensions (`[10000, 28, 28]` for the test images, `[10000]` for labels).
    pub dims: Vec<usize>,
    /// The values, row-major; `dims.iter().product()` of them.
    pub data: Vec<u8>,
}

/// Reads a gzip'd IDX file of unsigned bytes.
pub fn read_idx_gz(path: &Path) -> Result<IdxBytes> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: not a complete gzip stream", path.display()))?;
    parse_idx(&bytes).with_context(|| format!("{}: not an IDX file of unsigned bytes", path.display()))
}

/// Parses the bytes of an IDX file of unsigned bytes.
pub fn parse_idx(bytes: &[u8]) -> Result<IdxBytes> {
    ensure!(bytes.len() >= 4, "{} bytes, shorter than the 4-byte magic number", bytes.len());
    if bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 {
        bail!("magic number {:02x}{:02x}{:02x}, expected 000008", bytes[0], bytes[1], bytes[2]);
    }
    let rank = usize::from(bytes[3]);
    let header = 4 + 4 * rank;
    ensure!(bytes.len() >= header, "the header of {rank} dimensions is cut short");
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let expected = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d)).context("sizes overflow")?;
    let data = &bytes[header..];
    ensure!(
        data.len() == expected,
        "{} values after the header, the sizes {dims:?} say {expected}",
        data.len()
    );
    Ok(IdxBytes { dims, data: data.to_vec() })
}

/// The official MNIST test set: 10,000 images of 784 pixels (0–255) and their labels.
pub fn mnist_test(root: &Path) -> Result<(IdxBytes, Vec<usize>)> {
    let images = read_idx_gz(&root.join("data/mnist/mnist_t10k-images-idx3-ubyte.gz"))?;
    let labels = read_idx_gz(&root.join("data/mnist/mnist_t10k-labels-idx1-ubyte.gz"))?;
    ensure!(images.dims == [10_000, 28, 28], "MNIST test images have sizes {:?}", images.dims);
    ensure!(labels.dims == [10_000], "MNIST test labels have sizes {:?}", labels.dims);
    ensure!(labels.data.iter().all(|&l| l < 10), "an MNIST test label is not a digit");
    Ok((images, labels.data.iter().map(|&l| usize::from(l)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_array_round_trips_and_bad_headers_are_refused() -> Result<()> {
        let mut bytes = vec![0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3];
        bytes.extend([1, 2, 3, 4, 5, 6]);
        assert_eq!(parse_idx(&bytes)?, IdxBytes { dims: vec![2, 3], data: vec![1, 2, 3, 4, 5, 6] });
        assert!(parse_idx(&bytes[..10]).is_err());
        assert!(parse_idx(&bytes[..15]).is_err());
        bytes[2] = 0x0d;
        assert!(parse_idx(&bytes).is_err());
        Ok(())
    }

    #[test]
    fn the_shipped_test_set_has_ten_thousand_digits_of_every_class() -> Result<()> {
        let (images, labels) = mnist_test(&super::super::root())?;
        assert_eq!(images.data.len(), 10_000 * 784);
        for digit in 0..10 {
            let n = labels.iter().filter(|&&l| l == digit).count();
            assert!((850..=1150).contains(&n), "digit {digit}: {n} images");
        }
        Ok(())
    }
}
