//! Errors as values, shaped like the AWS API's: an exception name, the field at fault, and the rule.
//!
//! Nothing a user can type reaches an `unwrap`: every parser and every command returns `ApiError`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The AWS exception name, e.g. `ClientException`, `InvalidParameterException`.
    pub exception: &'static str,
    /// Path of the offending field, e.g. `taskDefinitions[0].containerDefinitions[1].memory`.
    pub field: String,
    /// The rule that was broken, in the API's words where it has them.
    pub message: String,
}

impl ApiError {
    pub fn new(exception: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { exception, field: field.into(), message: message.into() }
    }
    pub fn client(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new("ClientException", field, message)
    }
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", field, message)
    }
    /// Prefix the field path, so errors found deep in a document name their full location.
    pub fn at(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_string()
        } else if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.exception, self.message)
        } else {
            write!(f, "{}: {}: {}", self.exception, self.field, self.message)
        }
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;
