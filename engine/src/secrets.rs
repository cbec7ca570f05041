//! Secrets and environment files, pure parts: the SSM Parameter Store parameters, Secrets Manager
//! secrets and S3 objects a scenario declares (in the shapes of SSM `PutParameter`, Secrets
//! Manager `CreateSecret` and S3 `PutObject` request bodies), the container definition's
//! `environmentFiles` rules at registration, and what the agent finds when it resolves a task's
//! `secrets` and `environmentFiles` at task start with the task execution role.
//!
//! Rules implemented:
//! - "Amazon ECS ... retrieve[s] sensitive data ... from Secrets Manager secrets or AWS Systems
//!   Manager Parameter Store parameters" with the task execution role, before the container
//!   starts; the role needs `ssm:GetParameters` (Parameter Store) or `secretsmanager:GetSecretValue`
//!   (Secrets Manager) ("Amazon ECS task execution IAM role",
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html;
//!   the permission check itself is `iam::check_execution_role`).
//! - `valueFrom`: "the full ARN of the Secrets Manager secret or the full ARN of the parameter in
//!   the SSM Parameter Store"; a parameter in the task's Region may be named by its name. A
//!   Secrets Manager ARN may carry `:json-key:version-stage:version-id`
//!   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
//!   A secret ARN ends in `-` and six characters Secrets Manager adds; the partial ARN without them
//!   also names the secret. The playground derives the six characters from the name (deterministic).
//! - `environmentFiles`: "a list of files containing the environment variables to pass to a
//!   container", each `{"value": <S3 object ARN>, "type": "s3"}`; "You can specify up to ten
//!   environment files. The file must have a .env file extension"
//!   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html).
//!   The execution role needs `s3:GetObject` on the object and `s3:GetBucketLocation` on the
//!   bucket (task execution IAM role page, "Amazon S3 file permissions").
//! - A missing object: S3 GetObject answers `NoSuchKey` (404) only when the caller may
//!   `s3:ListBucket` the bucket, otherwise `AccessDenied` (403)
//!   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
//!
//! The stoppedReason texts are the agent's (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html,
//! "ResourceInitializationError: unable to pull secrets or registry auth"; the SSM text
//! "invalid parameters: <names>" is amazon-ecs-agent's `ssm.extractSSMValues`; Secrets Manager's
//! ResourceNotFoundException message is the API's "Secrets Manager can't find the specified
//! secret."); request ids are omitted.
//!
//! A scenario without `ssmParameters` / `secretsManagerSecrets` / `s3Objects` behaves as before:
//! every parameter, secret or object it names exists.

use crate::error::{ApiError, ApiResult};
use crate::iam::Role;
use crate::taskdef::RegisterTaskDefinition;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// SSM `PutParameter` request body (the members the playground reads; PascalCase as the API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutParameter {
    /// `/prod/api/key` (a hierarchy starts with `/`) or `api-key`.
    pub name: String,
    pub value: String,
    /// `String` (default), `StringList` or `SecureString`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

/// Secrets Manager `CreateSecret` request body (PascalCase as the API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateSecret {
    pub name: String,
    /// The secret's text, often a JSON object (`{"username": "app", "password": "..."}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_string: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// S3 `PutObject` request body: an object that exists before the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct S3Object {
    pub bucket: String,
    pub key: String,
    /// The file's text (e.g. `LOG_LEVEL=info`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// The parameters, secrets and objects of a scenario. `None` for a kind the scenario does not
/// declare: then every name of that kind resolves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Store {
    pub ssm: Option<Vec<PutParameter>>,
    pub secrets: Option<Vec<(String, CreateSecret)>>,
    pub s3: Option<Vec<S3Object>>,
}

/// Six characters Secrets Manager appends to a secret's ARN, derived from the name here.
fn secret_suffix(name: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut h = u64::from_str_radix(&crate::log::fnv1a64(name.as_bytes()), 16).unwrap_or(0);
    (0..6)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize] as char;
            h /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

fn valid_parameter_name(n: &str) -> bool {
    // PutParameter `Name`: 1-2048 characters of a-zA-Z0-9_.-/ ; may not begin with aws or ssm.
    !n.is_empty()
        && n.len() <= 2048
        && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-/".contains(&b))
        && !["aws", "ssm"].iter().any(|p| n.trim_start_matches('/').to_ascii_lowercase().starts_with(p))
}

impl Store {
    /// Build from the scenario's `ssmParameters`, `secretsManagerSecrets` and `s3Objects`;
    /// errors name the field.
    pub fn from_scenario(
        ssm: Option<&[PutParameter]>,
        secrets: Option<&[CreateSecret]>,
        s3: Option<&[S3Object]>,
        region: &str,
        account: &str,
    ) -> ApiResult<Self> {
        if let Some(ps) = ssm {
            for (i, p) in ps.iter().enumerate() {
                let at = format!("ssmParameters[{i}]");
                if !valid_parameter_name(&p.name) {
                    return Err(ApiError::new(
                        "ValidationException",
                        format!("{at}.Name"),
                        "Parameter name must be 1-2048 characters of a-zA-Z0-9_.-/ and must not begin with aws or ssm.",
                    ));
                }
                if let Some(t) = &p.r#type {
                    if !["String", "StringList", "SecureString"].contains(&t.as_str()) {
                        return Err(ApiError::new(
                            "ValidationException",
                            format!("{at}.Type"),
                            "Type must be String, StringList or SecureString.",
                        ));
                    }
                }
                if ps[..i].iter().any(|q| q.name == p.name) {
                    return Err(ApiError::new(
                        "ParameterAlreadyExists",
                        format!("{at}.Name"),
                        format!("The parameter {} already exists.", p.name),
                    ));
                }
            }
        }
        let secrets = match secrets {
            None => None,
            Some(ss) => {
                let mut out = Vec::new();
                for (i, s) in ss.iter().enumerate() {
                    let at = format!("secretsManagerSecrets[{i}]");
                    if s.name.is_empty()
                        || s.name.len() > 512
                        || !s.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b))
                    {
                        return Err(ApiError::new(
                            "InvalidParameterException",
                            format!("{at}.Name"),
                            "The secret name must be 1-512 characters of ASCII letters, digits and /_+=.@-",
                        ));
                    }
                    if ss[..i].iter().any(|q| q.name == s.name) {
                        return Err(ApiError::new(
                            "ResourceExistsException",
                            format!("{at}.Name"),
                            format!("The operation failed because the secret {} already exists.", s.name),
                        ));
                    }
                    let arn = format!(
                        "arn:aws:secretsmanager:{region}:{account}:secret:{}-{}",
                        s.name,
                        secret_suffix(&s.name)
                    );
                    out.push((arn, s.clone()));
                }
                Some(out)
            }
        };
        if let Some(os) = s3 {
            for (i, o) in os.iter().enumerate() {
                let at = format!("s3Objects[{i}]");
                if o.bucket.len() < 3
                    || o.bucket.len() > 63
                    || !o.bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
                {
                    return Err(ApiError::new(
                        "InvalidBucketName",
                        format!("{at}.Bucket"),
                        "Bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens.",
                    ));
                }
                if o.key.is_empty() {
                    return Err(ApiError::new("InvalidArgument", format!("{at}.Key"), "Key is required."));
                }
            }
        }
        Ok(Store { ssm: ssm.map(<[_]>::to_vec), secrets, s3: s3.map(<[_]>::to_vec) })
    }

    /// The ARN of a declared secret (with its six-character suffix), by name.
    pub fn secret_arn(&self, name: &str) -> Option<&str> {
        self.secrets.as_ref()?.iter().find(|(_, s)| s.name == name).map(|(a, _)| a.as_str())
    }
}

/// One `environmentFiles` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentFile {
    pub bucket: String,
    pub key: String,
    pub arn: String,
}

fn parse_s3_arn(v: &str) -> Option<(String, String)> {
    let rest = v.strip_prefix("arn:aws:s3:::")?;
    let (bucket, key) = rest.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then(|| (bucket.to_string(), key.to_string()))
}

/// A container's `environmentFiles`, checked as RegisterTaskDefinition does (errors name
/// `environmentFiles[i].type` / `.value`, relative to the container).
pub fn environment_files(c: &crate::taskdef::ContainerDefinition) -> ApiResult<Vec<EnvironmentFile>> {
    let Some(v) = c.other.get("environmentFiles") else { return Ok(Vec::new()) };
    let arr = v.as_array().ok_or_else(|| ApiError::client("environmentFiles", "must be a list of {value, type}"))?;
    if arr.len() > 10 {
        return Err(ApiError::client("environmentFiles", "You can specify up to ten environment files."));
    }
    let mut out = Vec::new();
    for (i, f) in arr.iter().enumerate() {
        let at = format!("environmentFiles[{i}]");
        let obj = f.as_object().ok_or_else(|| ApiError::client(&at, "must be an object {value, type}"))?;
        for k in obj.keys() {
            if k != "value" && k != "type" {
                return Err(ApiError::client(format!("{at}.{k}"), format!("Unknown parameter in input: \"{k}\"")));
            }
        }
        if obj.get("type").and_then(Value::as_str) != Some("s3") {
            return Err(ApiError::client(format!("{at}.type"), "type is required and must be s3."));
        }
        let value = obj.get("value").and_then(Value::as_str).unwrap_or("");
        let (bucket, key) = parse_s3_arn(value).ok_or_else(|| {
            ApiError::client(format!("{at}.value"), "value must be the ARN of an S3 object, arn:aws:s3:::bucket/key.")
        })?;
        if !key.ends_with(".env") {
            return Err(ApiError::client(format!("{at}.value"), "The file must have a .env file extension."));
        }
        out.push(EnvironmentFile { bucket, key, arn: value.to_string() });
    }
    Ok(out)
}

/// RegisterTaskDefinition: every container's `environmentFiles`.
pub fn validate_registration(td: &RegisterTaskDefinition) -> ApiResult<()> {
    for (i, c) in td.container_definitions.iter().enumerate() {
        environment_files(c).map_err(|e| e.at(&format!("containerDefinitions[{i}]")))?;
    }
    Ok(())
}

const RESOURCE_INIT: &str =
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed";

/// What the agent needs at task start besides the task definition.
#[derive(Debug, Clone, Copy)]
pub struct StartView<'a> {
    pub store: &'a Store,
    /// The execution role, when the scenario declares `iamRoles` (None there: no role found).
    pub execution_role: Option<&'a Role>,
    /// The scenario declares `iamRoles`: permissions are checked.
    pub roles_declared: bool,
    pub task_id: &'a str,
}

/// The parameter name a `valueFrom` names (an ARN in this Region and account, or a name).
fn ssm_name(value_from: &str) -> &str {
    match value_from.split_once(":parameter") {
        Some((prefix, name)) if prefix.starts_with("arn:") => name,
        _ => value_from,
    }
}

/// Resolve `secrets` and `environmentFiles` as the agent does before the containers start: a
/// missing parameter or secret, a missing JSON key, or an environment file the execution role may
/// not read or that does not exist stops the task (`TaskFailedToStart`, the returned
/// stoppedReason). Secret permissions are `iam::check_execution_role`'s, which runs first.
pub fn check_start(td: &RegisterTaskDefinition, v: &StartView) -> Result<(), String> {
    for c in &td.container_definitions {
        for s in &c.secrets {
            let vf = s.value_from.as_str();
            if vf.starts_with("arn:aws:secretsmanager:") {
                let Some(declared) = &v.store.secrets else { continue };
                let parts: Vec<&str> = vf.split(':').collect();
                let arn = parts.iter().take(7).copied().collect::<Vec<_>>().join(":");
                let json_key = parts.get(7).copied().filter(|k| !k.is_empty());
                let found = declared.iter().find(|(full, sec)| {
                    *full == arn || arn.rsplit_once(":secret:").is_some_and(|(_, n)| n == sec.name)
                });
                let Some((_, secret)) = found else {
                    return Err(format!("{RESOURCE_INIT}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret {arn} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret."));
                };
                if let Some(key) = json_key {
                    let has = secret
                        .secret_string
                        .as_deref()
                        .and_then(|t| serde_json::from_str::<Value>(t).ok())
                        .is_some_and(|j| j.get(key).is_some());
                    if !has {
                        return Err(format!("{RESOURCE_INIT}: unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key {key}"));
                    }
                }
            } else {
                let Some(declared) = &v.store.ssm else { continue };
                let name = ssm_name(vf);
                let norm = |n: &str| n.trim_start_matches('/').to_string();
                if !declared.iter().any(|p| norm(&p.name) == norm(name)) {
                    return Err(format!("{RESOURCE_INIT}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: {vf}"));
                }
            }
        }
        let files = environment_files(c).unwrap_or_default();
        for f in files {
            let bucket_arn = format!("arn:aws:s3:::{}", f.bucket);
            let mut may_list = true;
            if v.roles_declared {
                let denied = |why: &str| {
                    format!("ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): AccessDenied: Access Denied{why}")
                };
                let Some(role) = v.execution_role else {
                    return Err(denied(" (the task definition's executionRoleArn names no role in this scenario)"));
                };
                if role.authorize(v.task_id, "s3:GetObject", &f.arn).is_err()
                    || role.authorize(v.task_id, "s3:GetBucketLocation", &bucket_arn).is_err()
                {
                    return Err(denied(""));
                }
                may_list = role.authorize(v.task_id, "s3:ListBucket", &bucket_arn).is_ok();
            }
            if let Some(objects) = &v.store.s3 {
                if !objects.iter().any(|o| o.bucket == f.bucket && o.key == f.key) {
                    return Err(if may_list {
                        "ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): NoSuchKey: The specified key does not exist.".to_string()
                    } else {
                        "ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): AccessDenied: Access Denied".to_string()
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_arns_get_a_stable_six_character_suffix() {
        let s = Store::from_scenario(
            None,
            Some(&[CreateSecret { name: "prod/db".into(), secret_string: None, description: None, kms_key_id: None }]),
            None,
            "us-east-1",
            "123456789012",
        )
        .unwrap();
        let arn = s.secret_arn("prod/db").unwrap();
        let (head, tail) = arn.rsplit_once('-').unwrap();
        assert_eq!(head, "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db");
        assert_eq!(tail.len(), 6);
    }

    #[test]
    fn environment_file_rules_name_the_field() {
        let c: crate::taskdef::ContainerDefinition = serde_json::from_str(
            r#"{"name":"a","image":"x","environmentFiles":[{"value":"arn:aws:s3:::b/app.txt","type":"s3"}]}"#,
        )
        .unwrap();
        let e = environment_files(&c).unwrap_err();
        assert_eq!(e.field, "environmentFiles[0].value");
        assert!(e.message.contains(".env"));
        let c: crate::taskdef::ContainerDefinition = serde_json::from_str(
            r#"{"name":"a","image":"x","environmentFiles":[{"value":"arn:aws:s3:::b/app.env","type":"S3"}]}"#,
        )
        .unwrap();
        assert_eq!(environment_files(&c).unwrap_err().field, "environmentFiles[0].type");
    }

    #[test]
    fn ssm_names_and_arns_match_either_way() {
        assert_eq!(ssm_name("arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/key"), "/prod/api/key");
        assert_eq!(ssm_name("/prod/api/key"), "/prod/api/key");
    }
}
