/* Multiboot entry, flat 32-bit segments, and the interrupt stubs. QEMU's -kernel loads a multiboot
   ELF32 and enters here in protected mode with paging off, EAX = the multiboot magic, EBX = its info. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* page-aligned modules, memory information */

.section .multiboot, "a"
.align 4
.long MB_MAGIC
.long MB_FLAGS
.long -(MB_MAGIC + MB_FLAGS)

.text
.globl _start
_start:
    cli
    mov $stack_top, %esp
    lgdt gdt_descriptor
    ljmp $0x08, $1f
1:  mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    push %ebx                  /* multiboot information */
    call guest_main
2:  cli
    hlt
    jmp 2b

/* Every vector's stub (stubs.inc) pushes its number and joins the common path, which hands it to
   interrupt_entry(vector). Exceptions that push an error code are reported and halt anyway, so the
   stack layout after the vector does not matter to them. */
common_stub:
    pusha
    cld
    push 32(%esp)              /* the vector pushed by the stub */
    call interrupt_entry
    add $4, %esp
    popa
    add $4, %esp
    iret

#define ADDRESS .long
#include "stubs.inc"

.align 8
gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF   /* 0x08: flat 32-bit code */
    .quad 0x00CF92000000FFFF   /* 0x10: flat 32-bit data */
gdt_descriptor:
    .word gdt_descriptor - gdt - 1
    .long gdt

.section .note.GNU-stack, "", @progbits

.bss
.align 16
.space 32768
stack_top:
