#include <stdio.h>

int main(void)
{
	printf("Hello from the example external tree\n");
	return 0;
}
