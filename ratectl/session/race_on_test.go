//go:build race

package session

// raceEnabled makes the large simulated transfers skip under -race, where
// they cost ten times the CPU; they run in the plain test run.
const raceEnabled = true
