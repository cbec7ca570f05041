//! One component per file, each drawing one slice of the view model.

pub mod cluster_view;
pub mod controls;
pub mod events_panel;
pub mod instance_card;
pub mod task_chip;
