pub fn run(_p: &crate::paths::AppPaths) -> anyhow::Result<()> { Ok(()) }
