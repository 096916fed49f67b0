//! The hand-over from the fetch threads to the single writer: a queue bounded by the
//! bytes of the feeds waiting in it, not by their number.
//!
//! Why bytes: the writer stops now and then for the disk (its checkpoint's syncs, about
//! 0.1 s). With room for sixteen feeds, one a fetch thread, the queue filled in some
//! 40 ms, and then every fetch thread waited on it with both cores idle: four or five
//! such stops a cold refresh of 1,000 feeds, each holding up all of it. Room for 32 MiB
//! (some 300 such feeds) lets the fetch threads go on through the stop, and the writer
//! takes what waits in bigger batches after it; a handful of huge feeds still cannot fill
//! memory. (What the writer has taken into its open batch, and the feed each fetch
//! thread holds, are outside the bound.) Senders go in turn, first come first in, so a
//! big feed waiting for room is not passed again and again by small ones.
//!
//! On a cancel the writer still writes what waits here (a Ctrl-C's "stopping"): fetched
//! feeds are kept, up to about half a second of the writer's work.

use super::{FeedTarget, Work};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// How much the parsed feeds waiting for the writer may hold: the cold refresh's 1,000
/// feeds of fifty articles are about 100 KB each, so this is some 300 of them, a good
/// half second of the writer's work.
pub(super) const FEEDS_BYTES: usize = 32 << 20;

/// What an item costs in memory while it waits, about.
pub(super) trait Weight {
    fn weight(&self) -> usize;
}

impl Weight for (FeedTarget, Work) {
    fn weight(&self) -> usize {
        match &self.1 {
            Work::Parsed(feed, ..) => feed.bytes(),
            _ => 256,
        }
    }
}

pub(super) struct Handover<T> {
    state: Mutex<State<T>>,
    /// Something arrived, or the last sender left.
    arrived: Condvar,
    /// Room was made, or the receiver left.
    room: Condvar,
    budget: usize,
}

struct State<T> {
    queue: VecDeque<(T, usize)>,
    bytes: usize,
    senders: usize,
    receiving: bool,
    /// Turns: the next to hand out, and the one whose item goes in next. The senders
    /// between the two are waiting (for their turn, or for room).
    next_turn: u64,
    turn: u64,
}

impl<T> State<T> {
    fn waiting(&self) -> bool {
        self.next_turn > self.turn
    }
}

impl<T: Weight> Handover<T> {
    pub(super) fn new(budget: usize) -> Handover<T> {
        Handover {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                bytes: 0,
                senders: 0,
                receiving: true,
                next_turn: 0,
                turn: 0,
            }),
            arrived: Condvar::new(),
            room: Condvar::new(),
            budget,
        }
    }

    /// A sender; the receiver hears the end once every sender is dropped. Make them all
    /// before receiving: with none yet, the queue reads as ended.
    pub(super) fn sender(&self) -> Sender<'_, T> {
        self.lock().senders += 1;
        Sender(self)
    }

    pub(super) fn receiver(&self) -> Receiver<'_, T> {
        Receiver(self)
    }

    /// A panicking thread costs its own feed elsewhere; the queue's state is whole at
    /// every unlock, so it goes on.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(super) struct Sender<'a, T>(&'a Handover<T>);

impl<T: Weight> Sender<'_, T> {
    /// Waits for its turn and for room (an item alone always goes in, however big).
    /// Gives the item back when the receiver is gone.
    pub(super) fn send(&self, item: T) -> Result<(), T> {
        let weight = item.weight();
        let h = self.0;
        let mut state = h.lock();
        let turn = state.next_turn;
        state.next_turn += 1;
        while state.receiving
            && (state.turn != turn || (state.bytes > 0 && state.bytes + weight > h.budget))
        {
            // A writer gathering feeds (`wait_for`) stops at a sender that waits.
            h.arrived.notify_one();
            state = h.room.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        // The next sender's turn, whether this item goes in or comes back.
        state.turn += 1;
        if state.waiting() {
            h.room.notify_all();
        }
        if !state.receiving {
            return Err(item);
        }
        state.bytes += weight;
        state.queue.push_back((item, weight));
        h.arrived.notify_one();
        Ok(())
    }
}

impl<T> Drop for Sender<'_, T> {
    fn drop(&mut self) {
        let h = self.0;
        let mut state = h.state.lock().unwrap_or_else(|e| e.into_inner());
        state.senders -= 1;
        h.arrived.notify_all();
    }
}

pub(super) struct Receiver<'a, T>(&'a Handover<T>);

impl<T: Weight> Receiver<'_, T> {
    /// The next item, waiting for one; `None` once the queue is empty and every sender
    /// gone.
    pub(super) fn recv(&self) -> Option<T> {
        let h = self.0;
        let mut state = h.lock();
        loop {
            if let Some(item) = take(h, &mut state) {
                return Some(item);
            }
            if state.senders == 0 {
                return None;
            }
            state = h.arrived.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The next item if one waits.
    pub(super) fn try_recv(&self) -> Option<T> {
        take(self.0, &mut self.0.lock())
    }

    /// Waits until `count` items wait, or `until`, whichever is first; at once when the
    /// senders are all gone or one of them waits for room or its turn (then waiting
    /// would hold it up).
    pub(super) fn wait_for(&self, count: usize, until: std::time::Instant) {
        let h = self.0;
        let mut state = h.lock();
        while state.queue.len() < count && state.senders > 0 && !state.waiting() {
            let Some(left) = until.checked_duration_since(std::time::Instant::now()) else {
                return;
            };
            state = h
                .arrived
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

fn take<T>(h: &Handover<T>, state: &mut State<T>) -> Option<T> {
    let (item, weight) = state.queue.pop_front()?;
    state.bytes -= weight;
    if state.waiting() {
        h.room.notify_all();
    }
    Some(item)
}

impl<T> Drop for Receiver<'_, T> {
    /// The senders stop waiting for room that would never come.
    fn drop(&mut self) {
        let h = self.0;
        let mut state = h.state.lock().unwrap_or_else(|e| e.into_inner());
        state.receiving = false;
        h.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes(usize);
    impl Weight for Bytes {
        fn weight(&self) -> usize {
            self.0
        }
    }

    /// A sender waits while the budget is held, and goes on once the receiver takes.
    #[test]
    fn a_full_queue_holds_the_sender_until_the_receiver_takes() {
        let h = Handover::new(100);
        let sent = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            let tx = h.sender();
            let sent = &sent;
            s.spawn(move || {
                for _ in 0..3 {
                    tx.send(Bytes(60)).map_err(|_| ()).unwrap();
                    sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
            let rx = h.receiver();
            // The first fits; the second waits for room (60 + 60 > 100).
            while sent.load(std::sync::atomic::Ordering::SeqCst) < 1 {
                std::thread::yield_now();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 1);
            let mut got = 0;
            while rx.recv().is_some() {
                got += 1;
            }
            assert_eq!(got, 3);
        });
    }

    /// An item over the whole budget still goes, alone; the end comes once every sender
    /// is gone and the queue is empty.
    #[test]
    fn a_big_item_goes_alone_and_the_end_comes_after_the_last_item() {
        let h = Handover::new(10);
        let tx = h.sender();
        tx.send(Bytes(1_000)).map_err(|_| ()).unwrap();
        drop(tx);
        let rx = h.receiver();
        assert_eq!(rx.try_recv().map(|b| b.0), Some(1_000));
        assert!(rx.try_recv().is_none());
        assert!(rx.recv().is_none());
    }

    /// The writer's gathering: it ends as soon as enough wait, or the senders are gone,
    /// or one waits for room; otherwise at its deadline, never before.
    #[test]
    fn waiting_for_more_ends_on_the_count_the_end_a_full_queue_or_the_deadline() {
        use std::time::{Duration, Instant};
        let far = || Instant::now() + Duration::from_secs(30);
        let h = Handover::new(100);
        let tx = h.sender();
        let rx = h.receiver();
        std::thread::scope(|s| {
            s.spawn(|| {
                for _ in 0..3 {
                    std::thread::sleep(Duration::from_millis(5));
                    tx.send(Bytes(1)).map_err(|_| ()).unwrap();
                }
            });
            let started = Instant::now();
            rx.wait_for(3, far());
            assert_eq!(h.lock().queue.len(), 3);
            assert!(started.elapsed() < Duration::from_secs(10));
        });
        let started = Instant::now();
        rx.wait_for(10, Instant::now() + Duration::from_millis(30));
        assert!(
            started.elapsed() >= Duration::from_millis(30),
            "the deadline"
        );
        // Full: a sender waits for room, so the writer takes what is there.
        let mut got = 0;
        let (mut took, mut waiting) = (Duration::ZERO, 0);
        std::thread::scope(|s| {
            // The writer is gathering already when the sender starts to wait for room.
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(20));
                tx.send(Bytes(99)).map_err(|_| ()).unwrap()
            });
            let started = Instant::now();
            rx.wait_for(10, Instant::now() + Duration::from_secs(20));
            took = started.elapsed();
            waiting = {
                let state = h.lock();
                state.next_turn - state.turn
            };
            // Room for the waiting sender, which then ends (asserted after, so that a
            // failure does not leave it waiting).
            while rx.try_recv().is_some() {
                got += 1;
            }
        });
        assert!(
            took < Duration::from_secs(10),
            "woken by the waiting sender"
        );
        assert_eq!(waiting, 1, "a sender waits");
        drop(tx);
        rx.wait_for(10, far());
        while rx.try_recv().is_some() {
            got += 1;
        }
        assert_eq!(got, 4);
    }

    /// Waits until `n` senders wait.
    fn until_waiting<T: Weight>(h: &Handover<T>, n: u64) {
        while {
            let state = h.lock();
            state.next_turn - state.turn < n
        } {
            std::thread::yield_now();
        }
    }

    /// A sender waiting for room gets its item back when the receiver goes.
    #[test]
    fn a_waiting_sender_is_let_go_when_the_receiver_leaves() {
        let h = Handover::new(10);
        std::thread::scope(|s| {
            let tx = h.sender();
            let rx = h.receiver();
            tx.send(Bytes(10)).map_err(|_| ()).unwrap();
            let waiting = s.spawn(move || tx.send(Bytes(10)).is_err());
            until_waiting(&h, 1);
            drop(rx);
            assert!(waiting.join().unwrap(), "the item came back");
        });
    }

    /// A big item waiting for room goes in before small ones sent after it, though they
    /// would fit sooner.
    #[test]
    fn a_big_item_is_not_passed_by_small_ones_sent_after_it() {
        let h = Handover::new(100);
        std::thread::scope(|s| {
            let rx = h.receiver();
            let first = h.sender();
            first.send(Bytes(60)).map_err(|_| ()).unwrap();
            let (big, small) = (h.sender(), h.sender());
            s.spawn(move || big.send(Bytes(90)).map_err(|_| ()).unwrap());
            until_waiting(&h, 1);
            s.spawn(move || small.send(Bytes(10)).map_err(|_| ()).unwrap());
            until_waiting(&h, 2);
            drop(first);
            let mut got = Vec::new();
            while let Some(b) = rx.recv() {
                got.push(b.0);
            }
            assert_eq!(got, vec![60, 90, 10], "taken in the order sent");
        });
    }
}
