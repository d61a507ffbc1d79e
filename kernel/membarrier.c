// SPDX-License-Identifier: GPL-2.0
/*
 * membarrier(2). A guest's threads are host threads, possibly running on
 * other host CPUs at this moment, so a barrier needs the host's: the
 * host's MEMBARRIER_CMD_GLOBAL orders memory on every CPU, a superset of
 * what each guest command asks. The registrations the expedited commands
 * require are kept per address space, so the errors are Linux's.
 */
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/mm.h"
#include "kern/syscall.h"

#define MEMBARRIER_CMD_QUERY				0
#define MEMBARRIER_CMD_GLOBAL				(1 << 0)
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED			(1 << 1)
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED	(1 << 2)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		(1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	(1 << 4)

#define MEMBARRIER_SUPPORTED	(MEMBARRIER_CMD_GLOBAL |		\
				 MEMBARRIER_CMD_GLOBAL_EXPEDITED |	\
				 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | \
				 MEMBARRIER_CMD_PRIVATE_EXPEDITED |	\
				 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)

/* syscall-note(membarrier): the SYNC_CORE and RSEQ commands answer EINVAL, as on a kernel without them */
SYSCALL_DEFINE3(membarrier, int, cmd, unsigned int, flags, int, cpu_id)
{
	struct mm *mm = current->mm;

	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_SUPPORTED;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		mm->membarrier_state |= (unsigned int)cmd;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		if (!(mm->membarrier_state &
		      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
			return -EPERM;
		break;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		break;
	default:
		return -EINVAL;
	}
	return os_membarrier();
}
