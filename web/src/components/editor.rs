//! The Dockerfile editor: a plain textarea (so the browser does the editing, selection,
//! undo and accessibility) over a highlighted copy of the text, with line numbers and the
//! diagnostics' marks in the gutter.

use std::rc::Rc;

use stagecraft::view::DiagnosticView;
use stagecraft::Severity;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::engine::Simulated;
use crate::highlight;
use crate::lines;
use crate::project::Project;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub project: Rc<Project>,
    /// The engine's result for the text (empty before the engine is in).
    pub report: Shared<Simulated>,
    pub readonly: bool,
    pub on_change: Callback<String>,
    /// A line to move the caret to (set by clicking a diagnostic), with a counter so the
    /// same line can be asked twice.
    pub goto: Option<(usize, u32)>,
    /// Lines to mark (first, last): the instruction of the current step when stepping.
    pub current: Option<(usize, usize)>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let text = props.project.dockerfile.clone();

    // The report is recomputed from the project, so the pair changes together.
    let overlay = use_memo((props.project.clone(), props.report.clone()), |(p, r)| {
        let text = p.dockerfile.as_str();
        (
            highlight::highlighted(text, &r.highlight),
            highlight::squiggles(text, &r.diagnostics),
            gutter(text, &r.diagnostics),
        )
    });

    // The text is set only when it differs from what the textarea holds (an example, a link),
    // not on every keystroke: the textarea is the source of truth while the user types.
    {
        let textarea = textarea.clone();
        use_effect_with(text.clone(), move |text| {
            if let Some(el) = textarea.cast::<HtmlTextAreaElement>() {
                if el.value() != *text {
                    el.set_value(text);
                }
            }
        });
    }

    // The overlays are filled outside the virtual DOM, line by line, touching only the lines
    // that changed: a keystroke in a 700-line file updates one line, not 2,000 nodes.
    let layers = [use_node_ref(), use_node_ref(), use_node_ref()];
    let shown = use_mut_ref(|| [Vec::new(), Vec::new(), Vec::new()]);
    {
        let layers = layers.clone();
        use_effect_with(overlay.clone(), move |overlay| {
            let (gutter, code, squiggles) = (&overlay.2, &overlay.0, &overlay.1);
            let mut shown = shown.borrow_mut();
            for (i, next) in [gutter, code, squiggles].into_iter().enumerate() {
                if let Some(el) = layers[i].cast::<web_sys::Element>() {
                    lines::sync(&el, &mut shown[i], next);
                }
            }
        });
    }

    {
        let textarea = textarea.clone();
        let text = text.clone();
        use_effect_with(props.goto, move |goto| {
            if let (Some((line, _)), Some(el)) = (goto, textarea.cast::<HtmlTextAreaElement>()) {
                let offset: usize = text
                    .split_inclusive('\n')
                    .take(line.saturating_sub(1))
                    .map(|l| l.encode_utf16().count())
                    .sum();
                let _ = el.focus();
                let _ = el.set_selection_range(offset as u32, offset as u32);
                let el: web_sys::Element = el.into();
                el.scroll_into_view_with_bool(false);
            }
        });
    }

    // Undo and redo are the editor's own: the page rewrites the DOM around the textarea on
    // every keystroke, and the browser then undoes one character at a time. Here a run of
    // typing (no pause over a second, same kind of edit, up to a space) is one step.
    let history = use_mut_ref(History::default);
    let oninput = {
        let (on_change, history, before) = (props.on_change.clone(), history.clone(), text.clone());
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            history.borrow_mut().record(
                before.clone(),
                &e.input_type(),
                e.data().as_deref(),
                js_sys::Date::now(),
            );
            on_change.emit(el.value());
        })
    };
    let onkeydown = {
        let (on_change, history) = (props.on_change.clone(), history.clone());
        Callback::from(move |e: KeyboardEvent| {
            if !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            let key = e.key().to_ascii_lowercase();
            let redo = (key == "z" && e.shift_key()) || key == "y";
            if key != "z" && key != "y" {
                return;
            }
            e.prevent_default();
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            let current = el.value();
            let next = if redo {
                history.borrow_mut().redo(current.clone())
            } else {
                history.borrow_mut().undo(current.clone())
            };
            if let Some(next) = next {
                // The caret goes where the text changed.
                let at: u32 = current
                    .chars()
                    .zip(next.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(c, _)| c.len_utf16() as u32)
                    .sum();
                el.set_value(&next);
                let _ = el.set_selection_range(at, at);
                on_change.emit(next);
            }
        })
    };
    // The current step's lines, marked behind the text and scrolled into the editor's view
    // (the editor box only: the page stays where the step buttons are).
    let boxed = use_node_ref();
    {
        let boxed = boxed.clone();
        use_effect_with(props.current, move |current| {
            if let (Some((first, last)), Some(el)) = (current, boxed.cast::<web_sys::Element>()) {
                let (top, bottom) = band(*first, *last);
                let (top, bottom) = (top as i32, bottom as i32);
                let (scroll, height) = (el.scroll_top(), el.client_height());
                if top < scroll {
                    el.set_scroll_top(top - LINE_HEIGHT as i32);
                } else if bottom > scroll + height {
                    el.set_scroll_top(bottom - height + LINE_HEIGHT as i32);
                }
            }
        });
    }
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    html! {
        <div class="editor" ref={boxed}>
            <div class="gutter" aria-hidden="true" ref={layers[0].clone()}></div>
            <div class="code" style={format!("min-width:calc({widest}ch + 16px)")}>
                if let Some((first, last)) = props.current {
                    <div class="current-step" id="current-step" aria-hidden="true" data-line={first.to_string()}
                         style={{ let (top, bottom) = band(first, last); format!("top:{top}px;height:{}px", bottom - top) }}></div>
                }
                <div class="ed-layer highlight" aria-hidden="true" ref={layers[1].clone()}></div>
                <div class="ed-layer squiggles" aria-hidden="true" ref={layers[2].clone()}></div>
                <textarea
                    ref={textarea}
                    id="dockerfile"
                    aria-label="Dockerfile"
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    readonly={props.readonly}
                    {oninput}
                    {onkeydown}
                />
            </div>
        </div>
    }
}

/// The editor's line height and top padding in pixels (style.css: `.editor`, `.ed-layer`).
const LINE_HEIGHT: usize = 20;
const PADDING: usize = 8;

/// Where lines `first..=last` (from 1) are in the editor box: top and bottom in pixels.
fn band(first: usize, last: usize) -> (usize, usize) {
    let first = first.max(1);
    let last = last.max(first);
    let top = PADDING + (first - 1) * LINE_HEIGHT;
    (top, top + (last - first + 1) * LINE_HEIGHT)
}

/// Line numbers, each marked with its worst diagnostic and carrying the messages as a tooltip.
fn gutter(text: &str, diagnostics: &[DiagnosticView]) -> Vec<String> {
    let count = text.split('\n').count();
    let mut worst: Vec<Option<Severity>> = vec![None; count + 1];
    let mut messages: Vec<String> = vec![String::new(); count + 1];
    for d in diagnostics {
        let line = d.line.clamp(1, count);
        worst[line] = worst[line].max(Some(d.severity));
        if !messages[line].is_empty() {
            messages[line].push('\n');
        }
        messages[line].push_str(&format!("{}: {}", d.severity.as_str(), d.message));
    }
    (1..=count)
        .map(|line| match worst[line] {
            Some(s) => format!(
                "<span class=\"mark-{}\" title=\"{}\">{line}</span>",
                s.as_str(),
                highlight::escape(&messages[line])
            ),
            None => line.to_string(),
        })
        .collect()
}

/// The editor's undo history: whole texts, grouped by runs of typing.
#[derive(Default)]
struct History {
    undo: Vec<String>,
    redo: Vec<String>,
    last_at: f64,
    last_kind: String,
}

const HISTORY_LIMIT: usize = 200;

impl History {
    /// Called on each edit with the text before it: starts a new undo step unless the edit
    /// continues a run of typing.
    fn record(&mut self, before: String, kind: &str, data: Option<&str>, now: f64) {
        let word_break = data.is_some_and(|d| d.chars().all(char::is_whitespace));
        let continues = kind == "insertText"
            && self.last_kind == kind
            && now - self.last_at < 1000.0
            && !word_break;
        if !continues && self.undo.last() != Some(&before) {
            self.undo.push(before);
            if self.undo.len() > HISTORY_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_at = now;
        self.last_kind = kind.to_string();
    }

    fn undo(&mut self, current: String) -> Option<String> {
        let previous = self.undo.pop()?;
        self.redo.push(current);
        self.last_kind.clear();
        Some(previous)
    }

    fn redo(&mut self, current: String) -> Option<String> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        self.last_kind.clear();
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn typing_is_undone_a_run_at_a_time() {
        let mut h = History::default();
        let mut text = String::from("FROM a\n");
        let mut t = 0.0;
        for c in "ENV A=1 B=2".chars() {
            let s = c.to_string();
            h.record(text.clone(), "insertText", Some(&s), t);
            text.push(c);
            t += 50.0;
        }
        // A pause, then a paste: its own step.
        h.record(text.clone(), "insertFromPaste", None, t + 5000.0);
        let pasted = format!("{text}\nRUN x");
        assert_eq!(h.undo(pasted.clone()).as_deref(), Some(text.as_str()));
        assert_eq!(h.undo(text.clone()).as_deref(), Some("FROM a\nENV A=1"));
        assert_eq!(
            h.undo("FROM a\nENV A=1".into()).as_deref(),
            Some("FROM a\nENV")
        );
        assert_eq!(h.undo("FROM a\nENV".into()).as_deref(), Some("FROM a\n"));
        assert_eq!(h.undo("FROM a\n".into()), None);
        assert_eq!(h.redo("FROM a\n".into()).as_deref(), Some("FROM a\nENV"));
        // A new edit drops what could be redone.
        h.record("FROM a\nENV".into(), "deleteContentBackward", None, 0.0);
        assert_eq!(h.redo("FROM a\nEN".into()), None);
    }
}
