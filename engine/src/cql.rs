//! Cluster Query Language, used by `memberOf` placement constraints.
//! The full grammar arrives with issue 3; until then any expression is rejected with a clear
//! message, so a scenario never silently ignores a constraint.

use crate::error::{ApiError, ApiResult};
use crate::model::{ContainerInstance, Task};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr;

pub fn parse(expr: &str) -> ApiResult<Expr> {
    Err(ApiError::invalid("expression", format!("memberOf expressions are not supported yet: {expr}")))
}

/// Whether an instance satisfies a `memberOf` expression.
pub fn instance_matches(expr: &str, _instance: &ContainerInstance, _tasks: &[Task]) -> ApiResult<bool> {
    parse(expr).map(|_| false)
}
