//! The envelope of every file kd saves (`kd-student`, `kd-mlp`, `kd-extracted`): one JSON
//! object whose `format` names it and whose `version` says which layout it holds. Each crate
//! reads its own format through [`read_versioned`], so a file from another kd or of another
//! kind is refused the same way everywhere, before its body is trusted.

use std::ops::RangeInclusive;

use serde_json::Value;

/// The `format` a saved file names, if `text` is a JSON object that names one: how a reader
/// of several kinds picks the loader.
pub fn format_of(text: &str) -> Option<String> {
    serde_json::from_str::<Value>(text).ok()?.get("format")?.as_str().map(str::to_owned)
}

/// The JSON of `text` when it is a `format` file of a version in `versions`; otherwise the
/// reason, in words (not JSON, another format, a missing or unknown version), for the caller's
/// load error.
pub fn read_versioned(text: &str, format: &str, versions: RangeInclusive<u64>) -> Result<Value, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    if value.get("format").and_then(Value::as_str) != Some(format) {
        return Err(format!("not a {format} file (no \"format\": \"{format}\")"));
    }
    let version = value.get("version").and_then(Value::as_u64);
    if !version.is_some_and(|v| versions.contains(&v)) {
        let readable = if versions.start() == versions.end() {
            versions.start().to_string()
        } else {
            format!("{} to {}", versions.start(), versions.end())
        };
        return Err(format!(
            "format version {} is not a version this kd reads ({readable})",
            version.map_or("missing".into(), |v| v.to_string())
        ));
    }
    Ok(value)
}
