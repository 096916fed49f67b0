use super::*;

fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

/// Environment variables, and the protocol they should give.
type Case = (
    &'static [(&'static str, &'static str)],
    Option<ProtocolType>,
);

#[test]
fn the_protocol_comes_from_the_terminal_without_asking_it() {
    use ImagesSetting::*;
    let cases: [Case; 8] = [
        (
            &[("TERM", "xterm-kitty"), ("KITTY_WINDOW_ID", "1")],
            Some(ProtocolType::Kitty),
        ),
        (&[("TERM", "xterm-ghostty")], Some(ProtocolType::Kitty)),
        (&[("TERM_PROGRAM", "WezTerm")], Some(ProtocolType::Iterm2)),
        (&[("TERM_PROGRAM", "iTerm.app")], Some(ProtocolType::Iterm2)),
        (&[("TERM", "foot")], Some(ProtocolType::Sixel)),
        (
            &[("TERM", "xterm-256color")],
            Some(ProtocolType::Halfblocks),
        ),
        // tmux and screen pass none of them through: placeholders.
        (
            &[
                ("TERM", "tmux-256color"),
                ("TMUX", "/tmp/t,1,0"),
                ("KITTY_WINDOW_ID", "1"),
            ],
            None,
        ),
        (&[("TERM", "xterm-kitty"), ("NO_COLOR", "1")], None),
    ];
    for (vars, want) in cases {
        let leaked: &'static [(&'static str, &'static str)] =
            Box::leak(vars.to_vec().into_boxed_slice());
        assert_eq!(pick(Auto, &env(leaked)), want, "{vars:?}");
    }
    // Said in the config, it is used as said; off is off.
    assert_eq!(
        pick(Sixel, &env(&[("TMUX", "x")])),
        Some(ProtocolType::Sixel)
    );
    assert_eq!(pick(Off, &env(&[("TERM", "xterm-kitty")])), None);
}

#[test]
fn rows_are_kept_under_each_picture_so_the_text_does_not_move() {
    let lines = vec![
        Line::plain("Intro", crate::render::Style::PLAIN),
        Line::plain(" [image: Chart] [image: none] ", crate::render::Style::DIM),
        // Text that looks like a marker is not one.
        Line::plain("[image: typed by the author]", crate::render::Style::PLAIN),
        Line::plain("After", crate::render::Style::PLAIN),
    ];
    let images = vec![Some("https://a.example/c.png".to_string()), None];
    let (out, slots) = reserve(lines.clone(), &images, &|_| None);
    assert_eq!(
        slots,
        [Slot {
            line: 2,
            image: 0,
            rows: ROWS
        }]
    );
    assert_eq!(out.len(), 4 + ROWS as usize);
    assert_eq!(out.last().unwrap().text(), "After");
    // Its size known: a small picture keeps its rows only, a failed one none.
    let (out, slots) = reserve(lines.clone(), &images, &|_| Some(3));
    assert_eq!((out.len(), slots[0].rows), (4 + 3, 3));
    let (out, _) = reserve(lines, &images, &|_| Some(0));
    assert_eq!(out.len(), 4);
}

#[test]
fn a_picture_in_half_blocks_draws_coloured_cells() {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(40, 40, |x, _| {
        if x < 20 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    }));
    let picker = picker(ProtocolType::Halfblocks);
    let protocol = picker
        .new_protocol(
            img,
            ratatui::layout::Size::new(4, 2),
            ratatui_image::Resize::Fit(None),
        )
        .unwrap();
    let area = ratatui::layout::Rect::new(0, 0, 4, 2);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    ratatui::widgets::Widget::render(ratatui_image::Image::new(&protocol), area, &mut buf);
    insta::assert_debug_snapshot!(buf);
}

#[test]
fn the_cache_keeps_to_its_size_the_oldest_out_first() {
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in ["old", "mid", "new"].iter().enumerate() {
        let path = dir.path().join(name);
        std::fs::write(&path, vec![0u8; 100]).unwrap();
        let when =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000 + i as u64);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    crate::imagecache::evict(dir.path(), 250);
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["mid", "new"]);
}

/// A config reload decides from what `auto` found at start; it must agree with `pick`
/// for every setting, in a terminal with pictures and in one without.
#[test]
fn shown_agrees_with_pick_for_every_setting() {
    use ImagesSetting::*;
    for vars in [
        &[("TERM", "xterm-kitty")][..],
        &[("TERM", "screen-256color"), ("TMUX", "/tmp/t")][..],
        &[("NO_COLOR", "1")][..],
    ] {
        let e = env(vars);
        let auto = pick(Auto, &e).is_some();
        for setting in [Auto, Off, Kitty, Sixel, Iterm2, Halfblocks] {
            assert_eq!(
                shown(setting, auto),
                pick(setting, &e).is_some(),
                "{setting:?} in {vars:?}"
            );
        }
    }
}

/// Issue 27: a PNG of a few hundred bytes that declares 10,000 x 8,000 16-bit pixels (524
/// MB decoded) is refused from its header alone; a small one passes.
#[test]
fn a_picture_declaring_too_many_pixels_is_refused_before_decoding() {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out
    }
    let png = |w: u32, h: u32| {
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[16, 6, 0, 0, 0]); // 16-bit RGBA
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(chunk(b"IHDR", &ihdr));
        out.extend(chunk(
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        ));
        out.extend(chunk(b"IEND", &[]));
        out
    };
    let err = super::check_declared(&png(10_000, 8_000)).unwrap_err();
    assert!(err.contains("10000 x 8000"), "{err}");
    assert!(super::check_declared(&png(640, 480)).is_ok());
}
