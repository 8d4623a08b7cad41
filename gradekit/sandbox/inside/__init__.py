"""The only folder bound into the sandbox: the scripts that run inside it (child, zygote) and the
modules they import by bare name.  Nothing here may import the rest of gradekit."""
