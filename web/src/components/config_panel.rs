//! The image config: what `docker inspect` would show of how the image runs.

use stagecraft::view::Config;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfigPanelProps {
    pub config: Config,
}

fn words(w: &Option<Vec<String>>) -> String {
    match w {
        None => "(none)".into(),
        Some(v) => serde_json::to_string(v).unwrap_or_default(),
    }
}

#[component]
pub fn ConfigPanel(props: &ConfigPanelProps) -> Html {
    let c = &props.config;
    let row = |k: &'static str, v: Html| html! { <div><dt>{k}</dt><dd>{v}</dd></div> };
    let list = |items: Vec<String>| -> Html {
        if items.is_empty() {
            html! { <span class="muted">{"(none)"}</span> }
        } else {
            html! { <ul>{ for items.into_iter().map(|i| html! { <li><code>{i}</code></li> }) }</ul> }
        }
    };
    let health = match &c.healthcheck {
        None => html! { <span class="muted">{"(none)"}</span> },
        Some(h) => {
            html! { <code>{serde_json::to_string(&h.test).unwrap_or_default()}{h.interval.as_ref().map(|i| format!(" every {i}")).unwrap_or_default()}</code> }
        }
    };
    html! {
        <section class="config" id="config">
            <h3>{"Image config"}</h3>
            <dl>
                {row("ENV", list(c.env.iter().map(|(k, v)| format!("{k}={v}")).collect()))}
                {row("WORKDIR", html! { <code>{&c.workdir}</code> })}
                {row("USER", html! { <code>{if c.user.is_empty() { "(root)".to_string() } else { c.user.clone() }}</code> })}
                {row("ENTRYPOINT", html! { <code>{words(&c.entrypoint)}</code> })}
                {row("CMD", html! { <code>{words(&c.cmd)}</code> })}
                {row("EXPOSE", list(c.exposed_ports.clone()))}
                {row("LABEL", list(c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect()))}
                {row("VOLUME", list(c.volumes.clone()))}
                {row("HEALTHCHECK", health)}
                if let Some(s) = &c.stopsignal { {row("STOPSIGNAL", html! { <code>{s}</code> })} }
            </dl>
        </section>
    }
}
