// SPDX-License-Identifier: GPL-2.0
/* The host's entry point: hands argv to the kernel. */
#include "os.h"

int start_kernel(int argc, char **argv);

int main(int argc, char **argv)
{
	return start_kernel(argc, argv);
}
