//! BuildKit's EXPOSE rules: ExposeProtoCasing and ExposeInvalidFormat.

use super::{text, Cx, Fix, Sink};
use crate::dockerfile::InstructionKind;
use crate::span::Span;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    for ins in &cx.dockerfile().instructions {
        let InstructionKind::Expose(ports) = &ins.kind else { continue };
        for port in ports {
            let p = port.value.as_str();
            let verbatim = text::word_is_verbatim(cx.source, port) && !p.contains('$');
            if let Some((_, proto)) = p.rsplit_once('/') {
                if proto != proto.to_lowercase() {
                    let message = format!("Defined protocol '{p}' in EXPOSE instruction should be lowercase");
                    let at = port.span.end.saturating_sub(proto.len());
                    let fix = verbatim.then(|| Fix::replace("Write the protocol in lowercase", Span::new(at, port.span.end), proto.to_lowercase()));
                    sink.buildkit("ExposeProtoCasing", ins.span, message, fix);
                }
            }
            if p.contains(':') {
                let message = format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{p}'");
                // `[ip:]host:container[/proto]`: the container port is the last part.
                let container = p.rsplit(':').next().unwrap_or("");
                let fix = (verbatim && !container.is_empty())
                    .then(|| Fix::replace(format!("Expose only the container port {container}"), port.span, container));
                sink.buildkit("ExposeInvalidFormat", ins.span, message, fix);
            }
        }
    }
}
