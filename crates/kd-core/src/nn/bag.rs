//! A fastText-like text classifier (Joulin et al. 2017, "Bag of tricks for efficient text
//! classification"): each document is the bag of its n-grams' ids, their embeddings are
//! averaged (PyTorch's `EmbeddingBag(mode="mean")`), and a linear head — or, for a larger
//! teacher, hidden ReLU layers then a linear head — gives the class logits.
//!
//! Inputs are int64 rows `(n, L)` of n-gram ids from [`bag_ids`], padded with the id
//! `vocabulary` (the padding row of the embedding is zero and receives no gradient), so the
//! [`Distiller`](super::Distiller) can batch them as it batches float rows. The mean is over
//! the document's ids that are not padding; a document with none gives the zero vector.

use tch::{Device, Kind, Tensor, nn};

use super::network::{Network, Output};
use crate::loss::torch;
use crate::text::Vectorizer;
use crate::{Error, Result};

/// Shape of a [`BagOfEmbeddings`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagConfig {
    /// Number of n-gram ids (the vectoriser's columns); id `vocabulary` is the padding.
    pub vocabulary: i64,
    /// Embedding width.
    pub dim: i64,
    /// Hidden widths between the mean embedding and the logits (empty for fastText).
    pub hidden: Vec<i64>,
    /// Number of classes.
    pub classes: i64,
}

/// The network; its one tap is the mean embedding `(n, dim)`.
#[derive(Debug)]
pub struct BagOfEmbeddings {
    embedding: Tensor,
    padding: i64,
    layers: Vec<nn::Linear>,
}

impl BagConfig {
    /// Builds the network under `path` (`embedding`, then `l0`, `l1`, …), the embedding drawn
    /// from N(0, 1) as PyTorch's `EmbeddingBag` draws it, its padding row zero.
    pub fn init(&self, path: &nn::Path<'_>) -> Result<BagOfEmbeddings> {
        let widths: Vec<i64> =
            std::iter::once(self.dim).chain(self.hidden.iter().copied()).chain([self.classes]).collect();
        if self.vocabulary < 1 || widths.iter().any(|&w| w < 1) {
            return Err(Error::InvalidParameter {
                name: "bag".into(),
                reason: format!(
                    "vocabulary {} and widths {widths:?}; all must be at least 1",
                    self.vocabulary
                ),
            });
        }
        let embedding = path.var(
            "embedding",
            &[self.vocabulary + 1, self.dim],
            nn::Init::Randn { mean: 0.0, stdev: 1.0 },
        );
        tch::no_grad(|| embedding.get(self.vocabulary).f_zero_().map(|_| ()))
            .map_err(torch("padding row"))?;
        let layers = widths
            .windows(2)
            .enumerate()
            .map(|(i, w)| nn::linear(path / format!("l{i}"), w[0], w[1], Default::default()))
            .collect();
        Ok(BagOfEmbeddings { embedding, padding: self.vocabulary, layers })
    }
}

impl Network for BagOfEmbeddings {
    fn forward_taps(&self, x: &Tensor, _train: bool) -> Result<Output> {
        let ids = x.to_kind(Kind::Int64);
        let vectors = Tensor::f_embedding(&self.embedding, &ids, self.padding, false, false)
            .map_err(torch("embedding"))?;
        let present = ids.f_ne(self.padding).map_err(torch("mask"))?.to_kind(Kind::Float);
        let count = present
            .f_sum_dim_intlist(1, true, Kind::Float)
            .map_err(torch("count"))?
            .f_clamp_min(1.0)
            .map_err(torch("count"))?;
        let mean = vectors
            .f_sum_dim_intlist(1, false, Kind::Float)
            .map_err(torch("sum"))?
            .f_div(&count)
            .map_err(torch("mean"))?;
        let mut h = mean.shallow_clone();
        for (i, layer) in self.layers.iter().enumerate() {
            h = h.f_linear(&layer.ws, layer.bs.as_ref()).map_err(torch("linear"))?;
            if i + 1 < self.layers.len() {
                h = h.f_relu().map_err(torch("relu"))?;
            }
        }
        Ok(Output { logits: h, taps: vec![mean] })
    }
}

/// The documents as padded int64 id rows `(n, max_len)`: each document's n-gram columns in
/// order ([`Vectorizer::column_sequence`]), cut after `max_len`, padded with
/// `vectorizer.n_columns()`.
pub fn bag_ids<S: AsRef<str>>(
    vectorizer: &Vectorizer,
    documents: &[S],
    max_len: usize,
    device: Device,
) -> Result<Tensor> {
    if max_len == 0 {
        return Err(Error::InvalidParameter {
            name: "max_len".into(),
            reason: "0; give at least 1 id per document".into(),
        });
    }
    let padding = vectorizer.n_columns() as i64;
    let mut ids = vec![padding; documents.len() * max_len];
    for (row, document) in documents.iter().enumerate() {
        for (k, column) in vectorizer.column_sequence(document.as_ref()).into_iter().take(max_len).enumerate()
        {
            ids[row * max_len + k] = column as i64;
        }
    }
    Tensor::f_from_slice(&ids)
        .and_then(|t| t.f_view([documents.len() as i64, max_len as i64]))
        .and_then(|t| t.f_to_device(device))
        .map_err(torch("bag ids"))
}
