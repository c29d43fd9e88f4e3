//! Share: a link with the whole state in its fragment, and an `<iframe>` snippet for docs.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use crate::project::Project;
use crate::share;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    pub project: Rc<Project>,
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    // What was last copied, shown so it can be copied by hand where the clipboard is refused.
    let shown = use_state(|| None::<(&'static str, String)>);
    let copy_link = {
        let (project, shown) = (props.project.clone(), shown.clone());
        Callback::from(move |_| {
            let fragment = share::encode(&project);
            let url = format!("{}#{fragment}", browser::page_url());
            browser::replace_fragment(&fragment);
            browser::copy(&url);
            shown.set(Some(("Link", url)));
        })
    };
    let copy_embed = {
        let (project, shown) = (props.project.clone(), shown.clone());
        Callback::from(move |_| {
            let snippet = embed_snippet(&browser::page_url(), &embed_fragment(&project));
            browser::copy(&snippet);
            shown.set(Some(("Embed snippet", snippet)));
        })
    };
    let close = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(None))
    };
    html! {
        <div class="share">
            <button type="button" id="copy-link" onclick={copy_link}>{"Copy link"}</button>
            <button type="button" id="copy-embed" onclick={copy_embed}>{"Copy embed snippet"}</button>
            if let Some((what, text)) = &*shown {
                <div class="copied" role="status">
                    <label>{format!("{what} (copied): ")}<input id="share-output" readonly=true value={text.clone()} onfocus={Callback::from(|e: FocusEvent| { let el: web_sys::HtmlInputElement = e.target_unchecked_into(); el.select(); })} /></label>
                    <button type="button" class="icon" onclick={close} aria-label="Close">{"×"}</button>
                </div>
            }
        </div>
    }
}

/// A Dockerfile alone travels as readable text (`#dockerfile=FROM%20…`), which a docs author
/// can still edit by hand; anything more as the compressed state.
pub fn embed_fragment(project: &Project) -> String {
    if project.files.is_empty() && project.build_args.is_empty() {
        let mut f = format!("dockerfile={}", share::percent_encode(&project.dockerfile));
        if let Some(t) = &project.target {
            f.push_str(&format!("&target={}", share::percent_encode(t)));
        }
        f
    } else {
        share::encode(project)
    }
}

/// The `<iframe>` for a docs page, with the listener that sizes it to the content.
pub fn embed_snippet(page: &str, fragment: &str) -> String {
    let base = page.split(['?', '#']).next().unwrap_or(page);
    format!(
        "<iframe src=\"{base}?embed#{fragment}\" title=\"Stagecraft: what this Dockerfile builds\" style=\"width:100%;height:520px;border:0\" loading=\"lazy\"></iframe>\n\
         <script>addEventListener(\"message\",e=>{{if(e.data&&e.data.type===\"stagecraft:height\")for(const f of document.querySelectorAll(\"iframe\"))if(f.contentWindow===e.source)f.style.height=e.data.height+\"px\"}})</script>"
    )
}
