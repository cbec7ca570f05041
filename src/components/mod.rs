//! One component per file, each drawing one slice of the view signals (`view_model::Ui`).

pub mod alb_view;
pub mod charts;
pub mod cluster_controls;
pub mod cluster_view;
pub mod controls;
pub mod details;
pub mod events_panel;
pub mod instance_card;
pub mod service_panel;
pub mod task_chip;
pub mod timeline;
