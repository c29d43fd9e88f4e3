//! The page's components, one per file with its props.

pub mod add_entry;
pub mod app;
pub mod build_args;
pub mod build_log;
pub mod config_panel;
pub mod context_panel;
pub mod diagnostics;
pub mod diff_view;
pub mod editor;
pub mod entry_editor;
pub mod examples_menu;
pub mod file_import;
pub mod file_tree;
pub mod file_viewer;
pub mod image_panel;
pub mod share_bar;
pub mod stage_graph;
pub mod step_through;
pub mod target_select;
pub mod twin_view;
