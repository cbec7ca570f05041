//! One component per file, each drawing one slice of the view signals (`view_model::Ui`).

pub mod account_tabs;
pub mod alb_view;
pub mod charts;
pub mod cluster_controls;
pub mod cluster_map;
pub mod compare_panel;
pub mod controls;
pub mod cost_meter;
pub mod details;
pub mod ecr_panel;
pub mod events_panel;
pub mod export_panel;
pub mod express_panel;
pub mod iam_graph;
pub mod language_select;
pub mod lesson_builder;
pub mod lesson_panel;
pub mod map_layout;
pub mod scaling_controls;
pub mod service_panel;
pub mod share_button;
pub mod task_chip;
pub mod td_editor;
pub mod timeline;
pub mod watch_panel;
