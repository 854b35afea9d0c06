//! A network's variables as plain data for a JSON model file, and back: every variable by
//! name with its shape and float32 values, checked on load against the network it is loaded
//! into (same names, same shapes, finite values).

use serde::{Deserialize, Serialize};
use tch::{Device, Kind, Tensor, nn};

use crate::loss::torch;
use crate::{Error, Result};

/// One variable: `conv0.weight` `(out, in, 3, 3)` as in PyTorch, values in row-major order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTensor {
    /// The variable's path in the store.
    pub name: String,
    /// Its shape.
    pub shape: Vec<i64>,
    /// Its values, row-major.
    pub values: Vec<f32>,
}

/// Every variable of `store`, sorted by name.
pub fn save_variables(store: &nn::VarStore) -> Result<Vec<SavedTensor>> {
    let mut saved = store
        .variables()
        .into_iter()
        .map(|(name, t)| {
            let values: Vec<f32> = t
                .f_to_device(Device::Cpu)
                .and_then(|v| v.f_to_kind(Kind::Float))
                .and_then(|v| v.f_flatten(0, -1))
                .and_then(Vec::<f32>::try_from)
                .map_err(torch("save a variable"))?;
            Ok(SavedTensor { name, shape: t.size(), values })
        })
        .collect::<Result<Vec<_>>>()?;
    saved.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(saved)
}

/// Copies `saved` into the variables of `store`; `model` names the file in errors. Every
/// variable of the store must be saved with its shape, and nothing else may be.
pub fn load_variables(store: &mut nn::VarStore, saved: &[SavedTensor], model: &str) -> Result<()> {
    let bad = |reason: String| Error::InvalidParameter { name: format!("{model} weights"), reason };
    let variables = store.variables();
    if variables.len() != saved.len() {
        return Err(bad(format!("{} variables saved, the network has {}", saved.len(), variables.len())));
    }
    for s in saved {
        let Some(target) = variables.get(&s.name) else {
            return Err(bad(format!("unknown variable '{}'", s.name)));
        };
        if target.size() != s.shape || s.shape.iter().product::<i64>() != s.values.len() as i64 {
            return Err(bad(format!(
                "'{}' has shape {:?} and {} values; the network's is {:?}",
                s.name,
                s.shape,
                s.values.len(),
                target.size()
            )));
        }
        if s.values.iter().any(|v| !v.is_finite()) {
            return Err(bad(format!("'{}' holds a value that is not finite", s.name)));
        }
        let value = Tensor::from_slice(&s.values)
            .f_view(s.shape.as_slice())
            .and_then(|v| v.f_to_device(store.device()))
            .map_err(torch("load a variable"))?;
        let mut target = target.shallow_clone();
        tch::no_grad(|| target.f_copy_(&value)).map_err(torch("copy a variable"))?;
    }
    Ok(())
}
