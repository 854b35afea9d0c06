//! Training-time augmentation of image batches for the [`Distiller`](super::Distiller).
//!
//! [`Augmentation::RandomShift`] is the "random crop" of wide-ResNet training (Zagoruyko &
//! Komodakis 2016, 2017: CIFAR images zero-padded by 4 pixels and cropped back to 32×32 at a
//! random offset): each image of a batch is zero-padded by `pixels` on every side and cropped
//! back to `side × side` at an offset drawn uniformly from `0..=2·pixels` in each direction, so
//! it moves by up to `pixels` in x and y. Offsets come from a ChaCha8 stream (not libtorch's
//! generator), so a run is deterministic on CPU. Flips are left out: they change digits.
//!
//! The trainer applies it to every training batch before the student and an in-process
//! teacher see it (both see the same shifted images, as in the paper's code); validation rows
//! are never augmented.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tch::Tensor;

use crate::loss::torch;
use crate::{Error, Result};

/// An augmentation of flat image rows `(n, channels · side²)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Augmentation {
    /// Zero-pad by `pixels` and crop back at a random offset (shift by up to `pixels`).
    RandomShift {
        /// Channels per image.
        channels: i64,
        /// Image side.
        side: i64,
        /// Largest shift in each direction (≥ 1, < side).
        pixels: i64,
    },
}

impl Augmentation {
    /// Checks the shape parameters.
    pub(crate) fn check(&self) -> Result<()> {
        let Augmentation::RandomShift { channels, side, pixels } = *self;
        if channels < 1 || side < 2 || pixels < 1 || pixels >= side {
            return Err(Error::InvalidParameter {
                name: "augmentation".into(),
                reason: format!("{self:?}: need channels ≥ 1, side ≥ 2 and 1 ≤ pixels < side"),
            });
        }
        Ok(())
    }

    /// The augmented batch `x` `(b, channels · side²)`, same shape and kind.
    pub fn apply(&self, x: &Tensor, rng: &mut ChaCha8Rng) -> Result<Tensor> {
        let Augmentation::RandomShift { channels, side, pixels } = *self;
        let size = x.size();
        let (b, width) = (size.first().copied().unwrap_or(0), size.get(1).copied().unwrap_or(0));
        if size.len() != 2 || width != channels * side * side {
            return Err(Error::InvalidParameter {
                name: "augmentation".into(),
                reason: format!("rows of shape {size:?}; {self:?} needs (n, {})", channels * side * side),
            });
        }
        let padded = x
            .f_view([b, channels, side, side])
            .and_then(|v| v.f_constant_pad_nd([pixels, pixels, pixels, pixels]))
            .map_err(torch("pad images"))?;
        // One crop per row: a batch is at most a few hundred rows, and a gather over index
        // grids would need the same number of small tensors.
        let crops = (0..b)
            .map(|i| {
                let (dy, dx) = (rng.gen_range(0..=2 * pixels), rng.gen_range(0..=2 * pixels));
                padded.f_select(0, i).and_then(|img| img.f_narrow(1, dy, side)?.f_narrow(2, dx, side))
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(torch("crop images"))?;
        Tensor::f_stack(&crops, 0).and_then(|t| t.f_view([b, width])).map_err(torch("stack crops"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_shift_moves_each_image_by_at_most_the_padding_and_keeps_its_pixels() -> Result<()> {
        // One bright pixel in the middle of a 5×5 image: after the shift it is still there
        // (shifts of ≤ 1 keep it inside), at most one pixel away.
        let mut image = [0f32; 25];
        image[12] = 1.0;
        let x = Tensor::from_slice(&image.repeat(50)).view([50, 25]);
        let shift = Augmentation::RandomShift { channels: 1, side: 5, pixels: 1 };
        let out = shift.apply(&x, &mut ChaCha8Rng::seed_from_u64(7))?;
        assert_eq!(out.size(), vec![50, 25]);
        let mut moved = 0;
        for row in 0..50 {
            let values: Vec<f32> = Vec::try_from(out.get(row)).map_err(torch("values"))?;
            let at = values.iter().position(|&v| v == 1.0).ok_or_else(|| Error::InvalidParameter {
                name: "test".into(),
                reason: "the pixel vanished".into(),
            })?;
            assert_eq!(values.iter().sum::<f32>(), 1.0);
            let (r, c) = (at / 5, at % 5);
            assert!(r.abs_diff(2) <= 1 && c.abs_diff(2) <= 1, "row {row}: pixel at ({r}, {c})");
            moved += usize::from(at != 12);
        }
        // 8 of 9 offsets move the pixel: with 50 draws, nearly all rows move.
        assert!(moved >= 35, "{moved} of 50 moved");
        Ok(())
    }

    #[test]
    fn wrong_shapes_and_parameters_are_refused() {
        let shift = Augmentation::RandomShift { channels: 1, side: 4, pixels: 1 };
        let x = Tensor::zeros([3, 15], (tch::Kind::Float, tch::Device::Cpu));
        assert!(shift.apply(&x, &mut ChaCha8Rng::seed_from_u64(0)).is_err());
        assert!(Augmentation::RandomShift { channels: 1, side: 4, pixels: 4 }.check().is_err());
        assert!(Augmentation::RandomShift { channels: 0, side: 4, pixels: 1 }.check().is_err());
        assert!(shift.check().is_ok());
    }
}
