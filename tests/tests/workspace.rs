//! Rules about how the workspace's crates depend on each other, checked on the real resolved
//! dependency graph (`cargo metadata`), so a new dependency that breaks one fails here.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn metadata() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(&root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

/// Every package a package reaches through normal (not dev, not build) dependencies.
fn normal_closure<'a>(
    start: &'a str,
    edges: &HashMap<&'a str, Vec<&'a str>>,
    names: &HashMap<&'a str, &'a str>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    while let Some(id) = todo.pop() {
        for &next in edges.get(id).into_iter().flatten() {
            if seen.insert(names[next]) {
                todo.push(next);
            }
        }
    }
    seen
}

#[test]
fn core_crates_never_depend_on_tauri() {
    let meta = metadata();
    let packages = meta["packages"].as_array().unwrap();
    let names: HashMap<&str, &str> = packages
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let normal = node["deps"].as_array().unwrap().iter().filter(|dep| {
            dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|kind| kind["kind"].is_null())
        });
        edges.insert(
            node["id"].as_str().unwrap(),
            normal.map(|dep| dep["pkg"].as_str().unwrap()).collect(),
        );
    }
    let core: Vec<&Value> = packages
        .iter()
        .filter(|p| {
            let manifest = p["manifest_path"].as_str().unwrap().replace('\\', "/");
            manifest.contains("/crates/")
        })
        .collect();
    assert!(!core.is_empty(), "no core crates found under crates/");
    for package in core {
        let name = package["name"].as_str().unwrap();
        let reached = normal_closure(package["id"].as_str().unwrap(), &edges, &names);
        let shell: Vec<_> = reached.iter().filter(|n| n.starts_with("tauri")).collect();
        assert!(shell.is_empty(), "{name} depends on {shell:?}");
    }
    // The shell itself must reach tauri, or this check proves nothing.
    let desktop = packages
        .iter()
        .find(|p| p["name"] == "litigant-desktop")
        .unwrap();
    let reached = normal_closure(desktop["id"].as_str().unwrap(), &edges, &names);
    assert!(reached.contains("tauri"));
}
