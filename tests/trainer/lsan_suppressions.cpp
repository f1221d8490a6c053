// oneTBB 2021.8 can lose the 40-byte proxy of a task_scheduler_observer when the observer is
// removed while a worker still holds its position in the arena's observer list (the race oneTBB's
// PR #1410 discusses). It is TBB's allocation, bounded to one per trainer; LeakSanitizer reads this.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:tbb::detail::r1::observe\n";
}
