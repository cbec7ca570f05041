//! The simulated AWS account every ARN, event envelope and describe output names: one account id
//! and the region and Availability Zones a scenario gets when it names none.

/// The account id in every ARN and EventBridge envelope (the placeholder AWS documentation uses).
pub const ACCOUNT_ID: &str = "123456789012";

/// The region of the default Availability Zones (a scenario's region otherwise comes from the
/// name of its first AZ).
pub const DEFAULT_REGION: &str = "us-east-1";

/// The Availability Zones of a scenario that names none.
pub const DEFAULT_AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
