//! Capacity provider strategies: which capacity provider the next task of a service uses.
//!
//! Rules implemented (Amazon ECS API Reference, `CapacityProviderStrategyItem`, and the Developer
//! Guide, "Amazon ECS capacity provider strategies"):
//! - "base: The base value designates how many tasks, at a minimum, to run on the specified capacity
//!   provider ... Only one capacity provider in a capacity provider strategy can have a base defined.
//!   If no value is specified, the default value of 0 is used." Base range 0-100000.
//! - "weight: The weight value designates the relative percentage of the total number of tasks
//!   launched that should use the specified capacity provider. The weight value is taken into
//!   consideration after the base value, if defined, is satisfied." Weight range 0-1000, default 0.
//! - "When multiple capacity providers are specified within a capacity provider strategy, at least
//!   one of the capacity providers must have a weight value greater than zero and any capacity
//!   providers with a weight of 0 can't be used to place tasks."
//! - "if you have a strategy that contains two capacity providers and both have a weight of 1, then
//!   when the base is satisfied, the tasks will be split evenly across the two capacity providers.
//!   Using that same logic, if you specify a weight of 1 for capacityProviderA and a weight of 4 for
//!   capacityProviderB, then for every one task that's run using capacityProviderA, four tasks would
//!   use capacityProviderB."
//! - "A capacity provider strategy can contain a maximum of 20 capacity providers."
//! - "A capacity provider strategy can't contain a mix of capacity providers that use Auto Scaling
//!   groups and Fargate providers" (Developer Guide, capacity provider considerations).
//!
//! Each new task goes to the provider whose count beyond its base is furthest below its weighted
//! share (the smallest `(count + 1) / weight`); ties go to the provider listed first. AWS does not
//! document a tie-break; a fixed one keeps runs reproducible.

use crate::error::{ApiError, ApiResult};
use crate::scenario::{CapacityProviderStrategyItem, LaunchType};

pub const MAX_ITEMS: usize = 20;
pub const MAX_WEIGHT: u32 = 1000;
pub const MAX_BASE: u32 = 100_000;

/// Whether a name is one of the two Fargate capacity providers.
/// The Fargate Spot capacity provider's name.
pub const FARGATE_SPOT: &str = "FARGATE_SPOT";

pub fn is_fargate(name: &str) -> bool {
    name == "FARGATE" || name == FARGATE_SPOT
}

/// The strategy a CreateService or RunTask request's tasks follow and the launch type they report.
/// "If a launchType is specified, the capacityProviderStrategy parameter must be omitted. If no
/// capacityProviderStrategy or launchType is specified, the defaultCapacityProviderStrategy for the
/// cluster is used." (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html,
/// API_CreateService.html). The launch type is FARGATE when the strategy's first provider is
/// FARGATE or FARGATE_SPOT, else EC2.
pub fn resolve_launch_type<'a>(
    launch_type: Option<LaunchType>,
    given: &'a [CapacityProviderStrategyItem],
    default: &'a [CapacityProviderStrategyItem],
) -> ApiResult<(&'a [CapacityProviderStrategyItem], LaunchType)> {
    if launch_type.is_some() && !given.is_empty() {
        return Err(ApiError::invalid(
            "launchType",
            "Specifying both a launch type and capacity provider strategy is not supported.",
        ));
    }
    let strategy = if given.is_empty() && launch_type.is_none() { default } else { given };
    let launch_type = match (launch_type, strategy.first()) {
        (Some(lt), _) => lt,
        (None, Some(i)) if is_fargate(&i.capacity_provider) => LaunchType::Fargate,
        _ => LaunchType::Ec2,
    };
    Ok((strategy, launch_type))
}

/// Check a strategy against the API's rules. `associated` lists the cluster's capacity providers;
/// `field` is the path of the strategy in the request.
pub fn validate(items: &[CapacityProviderStrategyItem], associated: &[String], field: &str) -> ApiResult<()> {
    if items.len() > MAX_ITEMS {
        return Err(ApiError::invalid(
            field,
            "A capacity provider strategy can contain a maximum of 20 capacity providers.",
        ));
    }
    let mut with_base = 0;
    for (i, it) in items.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if it.weight > MAX_WEIGHT {
            return Err(ApiError::invalid(format!("{at}.weight"), "weight must be between 0 and 1000."));
        }
        if it.base > MAX_BASE {
            return Err(ApiError::invalid(format!("{at}.base"), "base must be between 0 and 100000."));
        }
        if it.base > 0 {
            with_base += 1;
        }
        if items[..i].iter().any(|x| x.capacity_provider == it.capacity_provider) {
            return Err(ApiError::invalid(
                format!("{at}.capacityProvider"),
                format!("The capacity provider {} is listed more than once.", it.capacity_provider),
            ));
        }
        if !associated.contains(&it.capacity_provider) {
            return Err(ApiError::invalid(
                format!("{at}.capacityProvider"),
                format!(
                    "The specified capacity provider strategy cannot contain a capacity provider that is not \
                     associated with the cluster ({}). Associate capacity providers with the cluster or specify a \
                     valid capacity provider and try again.",
                    it.capacity_provider
                ),
            ));
        }
    }
    if with_base > 1 {
        return Err(ApiError::invalid(
            field,
            "Only one capacity provider in a capacity provider strategy can have a base defined.",
        ));
    }
    if items.len() > 1 && items.iter().all(|x| x.weight == 0) {
        return Err(ApiError::invalid(
            field,
            "When multiple capacity providers are specified, at least one of them must have a weight greater than zero.",
        ));
    }
    let fargate = items.iter().filter(|x| is_fargate(&x.capacity_provider)).count();
    if fargate > 0 && fargate < items.len() {
        return Err(ApiError::invalid(
            field,
            "A capacity provider strategy can't contain a mix of capacity providers that use Auto Scaling groups and \
             Fargate providers.",
        ));
    }
    Ok(())
}

/// The index of the provider the next task uses, given how many live tasks each already has.
/// `None` for an empty strategy.
pub fn next_provider(items: &[CapacityProviderStrategyItem], counts: &[u32]) -> Option<usize> {
    if items.len() <= 1 {
        return if items.is_empty() { None } else { Some(0) };
    }
    let count = |i: usize| counts.get(i).copied().unwrap_or(0);
    // The base is satisfied first.
    if let Some(b) = items.iter().position(|x| x.base > 0) {
        if count(b) < items[b].base {
            return Some(b);
        }
    }
    let beyond = |i: usize| count(i).saturating_sub(items[i].base) as u64;
    let mut best: Option<usize> = None;
    for (i, it) in items.iter().enumerate() {
        if it.weight == 0 {
            continue;
        }
        best = match best {
            None => Some(i),
            // (beyond_i + 1) / w_i < (beyond_b + 1) / w_b, compared without division.
            Some(b) if (beyond(i) + 1) * (items[b].weight as u64) < (beyond(b) + 1) * (it.weight as u64) => Some(i),
            keep => keep,
        };
    }
    best
}

/// How `n` tasks launched one after another from nothing split across the strategy.
pub fn distribute(items: &[CapacityProviderStrategyItem], n: u32) -> Vec<u32> {
    let mut counts = vec![0u32; items.len()];
    for _ in 0..n {
        match next_provider(items, &counts) {
            Some(i) => counts[i] += 1,
            None => break,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, base: u32, weight: u32) -> CapacityProviderStrategyItem {
        CapacityProviderStrategyItem { capacity_provider: name.into(), base, weight }
    }

    #[test]
    fn equal_weights_split_evenly_after_the_base() {
        // "both have a weight of 1, then when the base is satisfied, the tasks will be split evenly"
        let s = [item("A", 2, 1), item("B", 0, 1)];
        assert_eq!(distribute(&s, 2), vec![2, 0], "the base comes first");
        assert_eq!(distribute(&s, 8), vec![5, 3]);
        assert_eq!(distribute(&s, 10), vec![6, 4]);
    }

    #[test]
    fn weight_one_to_four() {
        // "a weight of 1 for capacityProviderA and a weight of 4 for capacityProviderB, then for every
        // one task that's run using capacityProviderA, four tasks would use capacityProviderB."
        let s = [item("A", 0, 1), item("B", 0, 4)];
        assert_eq!(distribute(&s, 5), vec![1, 4]);
        assert_eq!(distribute(&s, 10), vec![2, 8]);
    }

    #[test]
    fn weight_zero_is_never_used_with_others() {
        let s = [item("A", 0, 0), item("B", 0, 1)];
        assert_eq!(distribute(&s, 4), vec![0, 4]);
        // A single provider is used whatever its weight.
        assert_eq!(distribute(&[item("A", 0, 0)], 3), vec![3]);
    }

    #[test]
    fn launch_type_follows_the_request_or_the_first_provider_or_the_cluster_default() {
        let spot = [item("FARGATE_SPOT", 0, 1)];
        let asg = [item("asg-cp", 1, 1)];
        let both = resolve_launch_type(Some(LaunchType::Ec2), &asg, &spot);
        assert_eq!(both.map_err(|e| e.field), Err("launchType".to_string()));
        assert_eq!(resolve_launch_type(Some(LaunchType::Fargate), &[], &asg).map(|r| r.1), Ok(LaunchType::Fargate));
        assert_eq!(resolve_launch_type(None, &spot, &asg).map(|r| r.1), Ok(LaunchType::Fargate));
        let (used, lt) = resolve_launch_type(None, &[], &spot).expect("valid");
        assert_eq!((used.len(), lt), (1, LaunchType::Fargate), "no strategy and no launch type: the default");
        assert_eq!(resolve_launch_type(None, &[], &[]).map(|r| r.1), Ok(LaunchType::Ec2));
        let (used, _) = resolve_launch_type(Some(LaunchType::Ec2), &[], &spot).expect("valid");
        assert!(used.is_empty(), "a launch type means no strategy");
    }

    #[test]
    fn validation_names_the_rule() {
        let cps = vec!["A".to_string(), "B".to_string(), "FARGATE".to_string()];
        let e = validate(&[item("A", 1, 1), item("B", 1, 1)], &cps, "s").unwrap_err();
        assert!(e.message.contains("Only one capacity provider"), "{e}");
        let e = validate(&[item("A", 0, 0), item("B", 0, 0)], &cps, "s").unwrap_err();
        assert!(e.message.contains("weight greater than zero"), "{e}");
        let e = validate(&[item("A", 0, 1), item("FARGATE", 0, 1)], &cps, "s").unwrap_err();
        assert!(e.message.contains("mix"), "{e}");
        let e = validate(&[item("C", 0, 1)], &cps, "s").unwrap_err();
        assert_eq!(e.field, "s[0].capacityProvider");
        let e = validate(&[item("A", 0, 1001)], &cps, "s").unwrap_err();
        assert_eq!(e.field, "s[0].weight");
        assert!(validate(&[item("A", 2, 1), item("B", 0, 3)], &cps, "s").is_ok());
    }
}
