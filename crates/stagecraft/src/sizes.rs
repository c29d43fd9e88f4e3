//! Size estimates that are not read off a catalog: how well an added file compresses when
//! the image is pushed. Ratios from `../shared/data/size-facts.md` ("Compressed:uncompressed
//! ratio": 0.36–0.44 for Debian-based images with their binaries and libraries; text
//! compresses further; archives and media do not compress again).

/// Estimated compressed (pull) bytes of a file of `size` bytes named `path`.
pub fn compressed_estimate(path: &str, size: u64) -> u64 {
    let ratio = compression_ratio(path);
    (size as f64 * ratio).round() as u64
}

fn compression_ratio(path: &str) -> f64 {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        // Already compressed: a second compression saves next to nothing.
        "gz" | "tgz" | "xz" | "bz2" | "zst" | "zip" | "jar" | "war" | "whl" | "png" | "jpg" | "jpeg" | "gif"
        | "webp" | "mp4" | "woff" | "woff2" | "br" | "7z" | "apk" | "deb" => 1.0,
        // Text: source, config, scripts.
        "txt" | "md" | "json" | "yaml" | "yml" | "toml" | "xml" | "html" | "css" | "js" | "ts" | "go" | "rs"
        | "py" | "rb" | "java" | "c" | "h" | "sh" | "conf" | "cfg" | "ini" | "lock" | "sum" | "mod" | "csv" => 0.3,
        // Binaries and libraries: the Debian-image figure from size-facts.md.
        _ => 0.4,
    }
}

/// Compressed size of a base image whose pull size is not known: the catalog's typical ratio.
pub fn compressed_from_uncompressed(size: u64) -> u64 {
    (size as f64 * 0.4).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_follow_file_kind() {
        assert_eq!(compressed_estimate("/app/app.jar", 1000), 1000);
        assert_eq!(compressed_estimate("/app/main.go", 1000), 300);
        assert_eq!(compressed_estimate("/app/server", 1000), 400);
    }
}
