//! [`ChoiceParser`]: a flag whose values are a library option's named values
//! (kd-hypotheses' [`Choice`]), so that the program and the Python binding read the same names
//! from one list: `--help` lists them, a wrong one is clap's usage error.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use kd::hypotheses::regression::choices::Choice;

/// Parses a flag's value into the library's `T` by `T`'s names.
#[derive(Debug, Clone, Copy)]
pub struct ChoiceParser<T>(PhantomData<T>);

impl<T> ChoiceParser<T> {
    /// The parser.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T: Choice + Send + Sync> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let name =
            PossibleValuesParser::new(T::CHOICES.iter().map(|(name, _)| *name)).parse_ref(cmd, arg, value)?;
        T::from_name(&name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::CHOICES.iter().map(|(name, _)| PossibleValue::new(*name))))
    }
}
