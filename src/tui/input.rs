//! The input thread: terminal events turned into `Msg`s. It can be paused while a
//! terminal browser has the terminal, and a pause is acknowledged, so the UI knows the
//! thread no longer reads keys before it hands the terminal over.

use super::msg::Msg;
use crossterm::event::{self, Event};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::time::Duration;

/// How long one wait for input lasts: also how soon a pause or a stop is noticed. Keys
/// end the wait at once; an idle TUI wakes twice a second (a laptop's idle CPU stays
/// at 0.0 %), and a terminal browser waits at most this long for the terminal.
const POLL: Duration = Duration::from_millis(500);

enum Control {
    /// Stop reading and say so on the channel given.
    Pause(SyncSender<()>),
    Resume,
}

/// The UI's handle on the input thread.
pub struct InputControl {
    control: Sender<Control>,
}

/// While this lives, the input thread reads nothing; dropping it resumes.
pub struct Paused<'a> {
    control: &'a Sender<Control>,
}

impl Paused<'_> {
    pub fn resume(self) {}
}

impl Drop for Paused<'_> {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Resume);
    }
}

impl InputControl {
    /// Pauses the input thread and waits until it has stopped reading.
    pub fn pause(&self) -> Paused<'_> {
        let (ack, acked) = mpsc::sync_channel(1);
        if self.control.send(Control::Pause(ack)).is_ok() {
            // A thread that has gone away cannot acknowledge; do not wait for it forever.
            let _ = acked.recv_timeout(POLL * 4);
        }
        Paused {
            control: &self.control,
        }
    }
}

pub fn spawn(tx: Sender<Msg>, stop: Arc<AtomicBool>) -> InputControl {
    let (control, rx) = mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || input_thread(tx, rx, stop));
    InputControl { control }
}

fn input_thread(tx: Sender<Msg>, control: Receiver<Control>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        if let Ok(Control::Pause(ack)) = control.try_recv() {
            let _ = ack.send(());
            // Wait for the resume; another pause while paused is acknowledged at once.
            loop {
                match control.recv() {
                    Ok(Control::Resume) => break,
                    Ok(Control::Pause(ack)) => {
                        let _ = ack.send(());
                    }
                    Err(_) => return,
                }
            }
            continue;
        }
        match event::poll(POLL) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(_) => {
                // The terminal is gone (hang-up): quit, saving what we have.
                let _ = tx.send(Msg::InputClosed);
                return;
            }
        }
        let msg = match event::read() {
            Ok(Event::Key(k)) => Msg::Key(k),
            Ok(Event::Mouse(me)) => Msg::Mouse(me),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(_) => continue,
            Err(_) => {
                let _ = tx.send(Msg::InputClosed);
                return;
            }
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}
