//! The same service seen three ways: ECS, Kubernetes (EKS) and Lambda.
//!
//! * `to_kubernetes`: an ECS service's deployment settings in Kubernetes terms.
//!   - ECS `maximumPercent`: "an upper limit on the number of tasks ... allowed in the RUNNING or
//!     PENDING state during a deployment, as a percentage of the desired number of tasks
//!     (rounded down to the nearest integer)"; Kubernetes `maxSurge`: "The maximum number of pods
//!     that can be scheduled above the desired number of pods ... Absolute number is calculated
//!     from percentage by rounding up." So `maxSurge = maximumPercent - 100` %.
//!   - ECS `minimumHealthyPercent`: "a lower limit on the number of tasks ... that must remain in
//!     the RUNNING state ... (rounded up to the nearest integer)"; Kubernetes `maxUnavailable`:
//!     "The maximum number of pods that can be unavailable during the update ... Absolute number
//!     is calculated from percentage by rounding down." So `maxUnavailable = 100 -
//!     minimumHealthyPercent` %. Both roundings keep the same number of healthy pods; the surge
//!     rounding differs (ECS floors the total, Kubernetes ceils the surge), which
//!     `KubernetesView::surge_differs` reports.
//!   - Service -> Deployment, task definition revision -> ReplicaSet (pod template), task -> Pod,
//!     target tracking policy -> HorizontalPodAutoscaler (`averageUtilization`).
//! * `lambda_series`: the Lambda model driven by the same requests-per-second series:
//!   concurrency = requests per second x average duration in seconds (Lambda Developer Guide,
//!   "Understanding Lambda function scaling"); new execution environments start cold; the
//!   default account concurrency quota is 1,000; a function scales by at most "1,000 execution
//!   environment instances every 10 seconds"; the maximum timeout is 900 seconds (15 minutes);
//!   cost = requests x price + GB-seconds x price.
//! * `ecs_fargate_series`: the ECS side of the same chart, for a service with a fixed or
//!   target-tracked task count.
//!
//! # How the UI should call this
//! `to_kubernetes(&create_service, target_tracking)` for the side-by-side manifest;
//! `lambda_series(&rps_per_minute, &LambdaConfig, &prices)` and
//! `ecs_fargate_series(...)` for the per-minute charts; `what_you_operate()` for the lists.

use crate::cost::{fargate_hourly, RegionPrices};
use crate::error::{ApiError, ApiResult};
use crate::scenario::CreateService;
use serde::Serialize;

/// Kubernetes rendering of an ECS service.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesView {
    pub deployment_name: String,
    pub replicas: u32,
    /// `maxSurge` as a percentage string, e.g. "100%".
    pub max_surge: String,
    /// `maxUnavailable` as a percentage string, e.g. "50%".
    pub max_unavailable: String,
    /// Pods Kubernetes may run during a rollout: replicas + ceil(replicas x surge%).
    pub k8s_max_pods: u32,
    /// Tasks ECS may run: floor(desired x maximumPercent / 100).
    pub ecs_max_tasks: u32,
    /// Pods that must stay available: replicas - floor(replicas x maxUnavailable%).
    pub k8s_min_available: u32,
    /// Tasks ECS keeps healthy: ceil(desired x minimumHealthyPercent / 100).
    pub ecs_min_healthy: u32,
    pub surge_differs: bool,
    pub hpa: Option<Hpa>,
    /// Term mapping, ECS -> Kubernetes.
    pub terms: Vec<(&'static str, &'static str)>,
    /// A manifest-like JSON the UI can show next to the CreateService body.
    pub manifest: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hpa {
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// `ECSServiceAverageCPUUtilization` target -> `cpu` `averageUtilization`.
    pub metric: &'static str,
    pub average_utilization: u32,
}

/// A target tracking policy on `ecs:service:DesiredCount`, reduced to what an HPA has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetTracking {
    pub min_capacity: u32,
    pub max_capacity: u32,
    /// `ECSServiceAverageCPUUtilization` or `ECSServiceAverageMemoryUtilization`.
    pub memory: bool,
    pub target_value: f64,
}

pub const TERMS: &[(&str, &str)] = &[
    ("Cluster", "Cluster (EKS control plane + nodes)"),
    ("Service", "Deployment (+ Service for networking)"),
    ("Task definition revision", "ReplicaSet / Pod template"),
    ("Task", "Pod"),
    ("Container definition", "Container spec"),
    ("desiredCount", "replicas"),
    ("maximumPercent", "maxSurge (= maximumPercent - 100 %)"),
    ("minimumHealthyPercent", "maxUnavailable (= 100 - minimumHealthyPercent %)"),
    ("Target tracking scaling policy", "HorizontalPodAutoscaler"),
    ("Container instance / Fargate", "Node / Fargate profile"),
    ("Task role", "IAM role for service accounts (IRSA) / Pod Identity"),
    ("ALB target group", "Service + Ingress (AWS Load Balancer Controller)"),
];

/// Map an ECS service to Kubernetes terms. Defaults follow CreateService: maximumPercent 200,
/// minimumHealthyPercent 100 for replica services.
pub fn to_kubernetes(svc: &CreateService, tracking: Option<TargetTracking>) -> ApiResult<KubernetesView> {
    let dc = svc.deployment_configuration.as_ref();
    let max_pct = dc.and_then(|d| d.maximum_percent).unwrap_or(200);
    let min_pct = dc.and_then(|d| d.minimum_healthy_percent).unwrap_or(100);
    if max_pct < 100 {
        return Err(ApiError::invalid(
            "deploymentConfiguration.maximumPercent",
            "maximumPercent below 100 has no Kubernetes equivalent (maxSurge cannot be negative).",
        ));
    }
    if min_pct > 100 {
        return Err(ApiError::invalid(
            "deploymentConfiguration.minimumHealthyPercent",
            "minimumHealthyPercent above 100 has no Kubernetes equivalent (maxUnavailable cannot be negative).",
        ));
    }
    let replicas = svc.desired_count.unwrap_or(0);
    let surge_pct = max_pct - 100;
    let unavail_pct = 100 - min_pct;
    let k8s_max_pods = replicas + (replicas * surge_pct).div_ceil(100);
    let ecs_max_tasks = replicas * max_pct / 100;
    let k8s_min_available = replicas - replicas * unavail_pct / 100;
    let ecs_min_healthy = (replicas * min_pct).div_ceil(100);
    let hpa = tracking.map(|t| Hpa {
        min_replicas: t.min_capacity,
        max_replicas: t.max_capacity,
        metric: if t.memory { "memory" } else { "cpu" },
        average_utilization: t.target_value.round().clamp(0.0, 100.0) as u32,
    });
    let manifest = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": svc.service_name},
        "spec": {
            "replicas": replicas,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {
                "maxSurge": format!("{surge_pct}%"), "maxUnavailable": format!("{unavail_pct}%")}},
            "template": {"metadata": {"labels": {"app": svc.service_name}},
                         "spec": {"note": format!("containers from task definition {}", svc.task_definition)}}
        }
    });
    Ok(KubernetesView {
        deployment_name: svc.service_name.clone(),
        replicas,
        max_surge: format!("{surge_pct}%"),
        max_unavailable: format!("{unavail_pct}%"),
        k8s_max_pods,
        ecs_max_tasks,
        k8s_min_available,
        ecs_min_healthy,
        surge_differs: k8s_max_pods != ecs_max_tasks,
        hpa,
        terms: TERMS.to_vec(),
        manifest,
    })
}

/// Lambda's documented limits used by the model.
pub const LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY: u32 = 1_000;
pub const LAMBDA_MAX_TIMEOUT_SECONDS: f64 = 900.0;
/// "1,000 execution environment instances every 10 seconds" per function.
pub const LAMBDA_SCALE_PER_10_SECONDS: u32 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambdaConfig {
    pub memory_mb: u32,
    /// Average duration of one request, warm, in milliseconds.
    pub duration_ms: f64,
    /// Extra latency of a cold start (init), in milliseconds.
    pub cold_start_ms: f64,
    /// Account concurrency quota (default 1,000).
    pub concurrency_limit: u32,
}

impl Default for LambdaConfig {
    fn default() -> Self {
        LambdaConfig { memory_mb: 512, duration_ms: 100.0, cold_start_ms: 400.0, concurrency_limit: 1_000 }
    }
}

/// One minute of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinutePoint {
    pub minute: u32,
    pub rps: f64,
    /// Lambda: concurrent executions needed (rps x duration). ECS: tasks running.
    pub capacity: f64,
    /// New execution environments (cold starts) or new tasks this minute.
    pub cold_starts: u32,
    /// Requests throttled (429) because concurrency would exceed the limit.
    pub throttled_rps: f64,
    /// Average start latency of the minute's requests in ms (cold start share x init time).
    pub start_latency_ms: f64,
    pub cost: f64,
    pub cumulative_cost: f64,
}

/// Lambda driven by a per-minute requests-per-second series.
pub fn lambda_series(rps_per_minute: &[f64], cfg: &LambdaConfig, prices: &RegionPrices) -> ApiResult<Vec<MinutePoint>> {
    if !(cfg.duration_ms.is_finite() && cfg.duration_ms > 0.0) {
        return Err(ApiError::invalid("durationMs", "duration must be a positive number of milliseconds"));
    }
    // "Code can run for up to 15 minutes in a single invocation" (timeout max 900 s).
    if cfg.duration_ms / 1000.0 > LAMBDA_MAX_TIMEOUT_SECONDS {
        return Err(ApiError::invalid(
            "durationMs",
            "Lambda functions run for at most 900 seconds (15 minutes); this workload belongs on ECS.",
        ));
    }
    if !(128..=10_240).contains(&cfg.memory_mb) {
        return Err(ApiError::invalid("memoryMb", "Lambda memory is 128 MB to 10,240 MB"));
    }
    let mut out = Vec::with_capacity(rps_per_minute.len());
    let mut warm: f64 = 0.0;
    let mut cumulative = 0.0;
    let gb = f64::from(cfg.memory_mb) / 1024.0;
    for (m, &rps) in rps_per_minute.iter().enumerate() {
        let rps = if rps.is_finite() && rps > 0.0 { rps } else { 0.0 };
        // Little's law: concurrency = arrival rate x time in system.
        let wanted = rps * cfg.duration_ms / 1000.0;
        // Scaling rate: 1,000 new environments per 10 s -> 6,000 per minute, and the quota.
        let reachable = (warm + f64::from(LAMBDA_SCALE_PER_10_SECONDS) * 6.0).min(f64::from(cfg.concurrency_limit));
        let served_conc = wanted.min(reachable);
        let throttled_rps = if wanted > 0.0 { rps * (1.0 - served_conc / wanted) } else { 0.0 };
        let cold = (served_conc.ceil() - warm.ceil()).max(0.0) as u32;
        let served_requests = (rps - throttled_rps) * 60.0;
        let start_latency_ms =
            if served_requests > 0.0 { f64::from(cold) * cfg.cold_start_ms / served_requests } else { 0.0 };
        let gb_seconds = served_requests * cfg.duration_ms / 1000.0 * gb;
        let cost = served_requests / 1e6 * prices.lambda.requests_per_million + gb_seconds * prices.lambda.gb_second;
        cumulative += cost;
        // Environments stay warm while traffic keeps them busy; idle ones are reclaimed (the
        // model keeps the current minute's concurrency warm for the next minute).
        warm = served_conc;
        out.push(MinutePoint {
            minute: m as u32,
            rps,
            capacity: served_conc,
            cold_starts: cold,
            throttled_rps,
            start_latency_ms,
            cost,
            cumulative_cost: cumulative,
        });
    }
    Ok(out)
}

/// ECS on Fargate for the same series: tasks each serving `rps_per_task`, between `min_tasks`
/// and `max_tasks`, scaled to the demand of the previous minute (a target-tracking reaction
/// lag), each new task taking `task_start_seconds` to become ready.
#[allow(clippy::too_many_arguments)] // one argument per field of the UI form
pub fn ecs_fargate_series(
    rps_per_minute: &[f64],
    rps_per_task: f64,
    min_tasks: u32,
    max_tasks: u32,
    cpu_units: u32,
    memory_mib: u32,
    task_start_seconds: f64,
    prices: &RegionPrices,
) -> ApiResult<Vec<MinutePoint>> {
    if !(rps_per_task.is_finite() && rps_per_task > 0.0) {
        return Err(ApiError::invalid("rpsPerTask", "must be a positive number"));
    }
    if min_tasks > max_tasks {
        return Err(ApiError::invalid("minTasks", "minTasks cannot exceed maxTasks"));
    }
    let hourly = fargate_hourly(&prices.fargate, cpu_units, memory_mib, 20);
    let mut tasks = min_tasks.max(1).min(max_tasks.max(1));
    let mut cumulative = 0.0;
    let mut out = Vec::new();
    let mut prev_rps = 0.0;
    for (m, &rps) in rps_per_minute.iter().enumerate() {
        let rps = if rps.is_finite() && rps > 0.0 { rps } else { 0.0 };
        let wanted = ((prev_rps / rps_per_task).ceil() as u32).clamp(min_tasks.max(1), max_tasks.max(1));
        let started = wanted.saturating_sub(tasks);
        tasks = wanted;
        let capacity_rps = f64::from(tasks) * rps_per_task;
        let throttled_rps = (rps - capacity_rps).max(0.0);
        let cost = f64::from(tasks) * hourly / 60.0;
        cumulative += cost;
        out.push(MinutePoint {
            minute: m as u32,
            rps,
            capacity: f64::from(tasks),
            cold_starts: started,
            throttled_rps,
            start_latency_ms: if started > 0 { task_start_seconds * 1000.0 } else { 0.0 },
            cost,
            cumulative_cost: cumulative,
        });
        prev_rps = rps;
    }
    Ok(out)
}

/// "What you operate" for each option (shared responsibility, as the AWS service pages and
/// the course's comparison table describe it).
pub fn what_you_operate() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "ECS on EC2",
            vec![
                "EC2 instances: AMI, OS patches, ECS agent updates",
                "Cluster capacity (Auto Scaling group, capacity provider)",
                "Task definitions, services, scaling policies",
                "IAM: instance role, execution role, task roles",
            ],
        ),
        (
            "ECS on Fargate",
            vec![
                "Task definitions (CPU/memory sizes), services, scaling policies",
                "IAM: execution role, task roles",
                "VPC networking (awsvpc ENIs, security groups)",
            ],
        ),
        (
            "EKS",
            vec![
                "Kubernetes version upgrades (control plane managed by AWS, per-cluster hourly fee)",
                "Worker nodes (managed node groups / Karpenter) or Fargate profiles",
                "Add-ons: VPC CNI, CoreDNS, kube-proxy, AWS Load Balancer Controller",
                "Deployments, HPA, RBAC, IRSA / Pod Identity",
            ],
        ),
        (
            "Lambda",
            vec![
                "Function code and configuration (memory, timeout <= 15 minutes)",
                "Concurrency limits (account default 1,000; reserved/provisioned concurrency)",
                "IAM execution role",
            ],
        ),
    ]
}

/// `TERMS` in the page's language: the ECS column in the AWS console's terms of that language,
/// the Kubernetes column with its API names (Deployment, Pod, replicas, maxSurge...) as they are.
/// Unknown languages get English.
pub fn terms_in(lang: &str) -> Vec<(&'static str, &'static str)> {
    let t: &[(&str, &str)] = match lang {
        "zh-CN" => &[
            ("集群", "集群（EKS 控制平面 + 节点）"),
            ("服务", "Deployment（网络另需 Service）"),
            ("任务定义修订", "ReplicaSet / Pod 模板"),
            ("任务", "Pod"),
            ("容器定义", "容器规范（container spec）"),
            ("desiredCount", "replicas"),
            ("maximumPercent", "maxSurge（= maximumPercent - 100 %）"),
            ("minimumHealthyPercent", "maxUnavailable（= 100 - minimumHealthyPercent %）"),
            ("目标跟踪扩展策略", "HorizontalPodAutoscaler"),
            ("容器实例 / Fargate", "节点 / Fargate 配置文件"),
            ("任务角色", "服务账户的 IAM 角色（IRSA）/ Pod Identity"),
            ("ALB 目标组", "Service + Ingress（AWS Load Balancer Controller）"),
        ],
        "ko" => &[
            ("클러스터", "클러스터(EKS 컨트롤 플레인 + 노드)"),
            ("서비스", "Deployment(네트워킹은 Service 추가)"),
            ("작업 정의 개정", "ReplicaSet / Pod 템플릿"),
            ("작업", "Pod"),
            ("컨테이너 정의", "컨테이너 사양(container spec)"),
            ("desiredCount", "replicas"),
            ("maximumPercent", "maxSurge(= maximumPercent - 100 %)"),
            ("minimumHealthyPercent", "maxUnavailable(= 100 - minimumHealthyPercent %)"),
            ("대상 추적 조정 정책", "HorizontalPodAutoscaler"),
            ("컨테이너 인스턴스 / Fargate", "노드 / Fargate 프로파일"),
            ("작업 역할", "서비스 계정용 IAM 역할(IRSA) / Pod Identity"),
            ("ALB 대상 그룹", "Service + Ingress(AWS Load Balancer Controller)"),
        ],
        "ru" => &[
            ("Кластер", "Кластер (плоскость управления EKS + узлы)"),
            ("Сервис", "Deployment (+ Service для сети)"),
            ("Ревизия определения задачи", "ReplicaSet / шаблон Pod"),
            ("Задача", "Pod"),
            ("Определение контейнера", "Спецификация контейнера (container spec)"),
            ("desiredCount", "replicas"),
            ("maximumPercent", "maxSurge (= maximumPercent - 100 %)"),
            ("minimumHealthyPercent", "maxUnavailable (= 100 - minimumHealthyPercent %)"),
            ("Политика масштабирования с отслеживанием целевого значения", "HorizontalPodAutoscaler"),
            ("Экземпляр контейнера / Fargate", "Узел / профиль Fargate"),
            ("Роль задачи", "Роль IAM для сервисных аккаунтов (IRSA) / Pod Identity"),
            ("Целевая группа ALB", "Service + Ingress (AWS Load Balancer Controller)"),
        ],
        _ => TERMS,
    };
    t.to_vec()
}

/// `what_you_operate` in the page's language (product names, API names and figures as they are).
/// Unknown languages get English.
pub fn what_you_operate_in(lang: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    let t: [(&'static str, [&'static str; 4]); 4] = match lang {
        "zh-CN" => [
            (
                "EC2 上的 ECS",
                [
                    "EC2 实例：AMI、操作系统补丁、ECS 代理更新",
                    "集群容量（Auto Scaling 组、容量提供程序）",
                    "任务定义、服务、扩展策略",
                    "IAM：实例角色、执行角色、任务角色",
                ],
            ),
            (
                "Fargate 上的 ECS",
                [
                    "任务定义（CPU/内存规格）、服务、扩展策略",
                    "IAM：执行角色、任务角色",
                    "VPC 网络（awsvpc ENI、安全组）",
                    "",
                ],
            ),
            (
                "EKS",
                [
                    "Kubernetes 版本升级（控制平面由 AWS 管理，每个集群按小时收费）",
                    "工作节点（托管节点组 / Karpenter）或 Fargate 配置文件",
                    "附加组件：VPC CNI、CoreDNS、kube-proxy、AWS Load Balancer Controller",
                    "Deployment、HPA、RBAC、IRSA / Pod Identity",
                ],
            ),
            (
                "Lambda",
                [
                    "函数代码和配置（内存，超时 <= 15 分钟）",
                    "并发限制（账户默认 1,000；预留/预置并发）",
                    "IAM 执行角色",
                    "",
                ],
            ),
        ],
        "ko" => [
            (
                "EC2 기반 ECS",
                [
                    "EC2 인스턴스: AMI, OS 패치, ECS 에이전트 업데이트",
                    "클러스터 용량(Auto Scaling 그룹, 용량 공급자)",
                    "작업 정의, 서비스, 조정 정책",
                    "IAM: 인스턴스 역할, 작업 실행 역할, 작업 역할",
                ],
            ),
            (
                "Fargate 기반 ECS",
                [
                    "작업 정의(CPU/메모리 크기), 서비스, 조정 정책",
                    "IAM: 작업 실행 역할, 작업 역할",
                    "VPC 네트워킹(awsvpc ENI, 보안 그룹)",
                    "",
                ],
            ),
            (
                "EKS",
                [
                    "Kubernetes 버전 업그레이드(컨트롤 플레인은 AWS가 관리, 클러스터당 시간 요금)",
                    "워커 노드(관리형 노드 그룹 / Karpenter) 또는 Fargate 프로파일",
                    "추가 기능: VPC CNI, CoreDNS, kube-proxy, AWS Load Balancer Controller",
                    "Deployment, HPA, RBAC, IRSA / Pod Identity",
                ],
            ),
            (
                "Lambda",
                [
                    "함수 코드와 구성(메모리, 제한 시간 <= 15분)",
                    "동시성 한도(계정 기본값 1,000, 예약/프로비저닝된 동시성)",
                    "IAM 실행 역할",
                    "",
                ],
            ),
        ],
        "ru" => [
            (
                "ECS на EC2",
                [
                    "Экземпляры EC2: AMI, исправления ОС, обновления агента ECS",
                    "Ёмкость кластера (группа Auto Scaling, поставщик ёмкости)",
                    "Определения задач, сервисы, политики масштабирования",
                    "IAM: роль экземпляра, роль выполнения задачи, роли задач",
                ],
            ),
            (
                "ECS на Fargate",
                [
                    "Определения задач (размеры CPU/памяти), сервисы, политики масштабирования",
                    "IAM: роль выполнения задачи, роли задач",
                    "Сеть VPC (ENI awsvpc, группы безопасности)",
                    "",
                ],
            ),
            (
                "EKS",
                [
                    "Обновления версий Kubernetes (плоскостью управления управляет AWS, почасовая плата за кластер)",
                    "Рабочие узлы (управляемые группы узлов / Karpenter) или профили Fargate",
                    "Дополнения: VPC CNI, CoreDNS, kube-proxy, AWS Load Balancer Controller",
                    "Deployment, HPA, RBAC, IRSA / Pod Identity",
                ],
            ),
            (
                "Lambda",
                [
                    "Код и конфигурация функции (память, тайм-аут <= 15 минут)",
                    "Ограничения параллелизма (по умолчанию 1000 на аккаунт; зарезервированный/выделенный параллелизм)",
                    "Роль выполнения IAM",
                    "",
                ],
            ),
        ],
        _ => return what_you_operate(),
    };
    t.into_iter().map(|(k, v)| (k, v.into_iter().filter(|s| !s.is_empty()).collect())).collect()
}

#[cfg(test)]
mod translation_tests {
    use super::*;

    /// Every language has the same rows as English; the API names stay as the API spells them.
    #[test]
    fn terms_and_what_you_operate_are_translated_row_for_row() {
        let en = terms_in("en");
        let ops = what_you_operate_in("en");
        assert_eq!(ops, what_you_operate());
        for lang in ["zh-CN", "ko", "ru"] {
            let t = terms_in(lang);
            assert_eq!(t.len(), en.len(), "{lang}");
            for ((a, b), (ea, eb)) in t.iter().zip(&en) {
                for api in [
                    "desiredCount",
                    "maximumPercent",
                    "minimumHealthyPercent",
                    "replicas",
                    "maxSurge",
                    "maxUnavailable",
                    "HorizontalPodAutoscaler",
                    "Pod",
                ] {
                    assert_eq!(ea.contains(api), a.contains(api), "{lang}: {a} / {ea}");
                    assert_eq!(eb.contains(api), b.contains(api), "{lang}: {b} / {eb}");
                }
            }
            assert_ne!(t[0].0, en[0].0, "{lang}: the ECS column is translated");
            let o = what_you_operate_in(lang);
            assert_eq!(o.len(), ops.len(), "{lang}");
            for ((k, v), (ek, ev)) in o.iter().zip(&ops) {
                assert_eq!(v.len(), ev.len(), "{lang}: {k} / {ek}");
                assert_eq!(k.contains("EKS") || k.contains("Lambda"), ek.contains("EKS") || ek.contains("Lambda"));
            }
            let lambda = o.iter().find(|(k, _)| *k == "Lambda").expect("Lambda row").1.join(" ");
            assert!(lambda.contains("15") && lambda.contains("1"), "{lang}: the 15-minute limit and the quota");
        }
    }
}
