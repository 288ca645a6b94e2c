"""Record linkage: finds persons recorded twice (across scripts), a review queue, merge and un-merge."""
