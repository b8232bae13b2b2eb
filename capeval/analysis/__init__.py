"""Pure analyses: DataFrames in, DataFrames out, each result carrying its n."""
