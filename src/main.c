/* endorse: the one binary.  See cli.c for the commands. */
#include "endorse.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
