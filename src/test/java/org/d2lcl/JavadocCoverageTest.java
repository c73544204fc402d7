package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every public type in {@code src/main/java} has a Javadoc comment, and every package a
 * {@code package-info.java} that says what it is. ({@code mvn javadoc:javadoc} checks what the
 * comments say; this checks that they are there.) The sources are parsed with javac's own parser.
 */
@Tag("source-tree")
class JavadocCoverageTest {
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void everyPublicTypeHasAJavadocComment() throws IOException {
        List<String> missing = new ArrayList<>();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null);
             Stream<Path> paths = Files.walk(MAIN)) {
            List<Path> sources = paths.filter(p -> p.toString().endsWith(".java")).toList();
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null,
                    files.getJavaFileObjectsFromPaths(sources));
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree type, Void unused) {
                        TreePath path = getCurrentPath();
                        boolean nested = path.getParentPath().getLeaf() instanceof ClassTree;
                        boolean visible = type.getModifiers().getFlags().contains(Modifier.PUBLIC)
                                || nested && path.getParentPath().getLeaf() instanceof ClassTree outer
                                        && outer.getKind() == com.sun.source.tree.Tree.Kind.INTERFACE;
                        if (visible && !type.getSimpleName().isEmpty()) {
                            String comment = docs.getDocComment(path);
                            if (comment == null || comment.isBlank()) {
                                missing.add(unit.getSourceFile().getName() + ": " + type.getSimpleName());
                            }
                        }
                        return super.visitClass(type, unused);
                    }
                }.scan(unit, null);
            }
        }
        assertEquals(List.of(), missing, "public types without a Javadoc comment");
    }

    @Test
    void everyPackageSaysWhatItIs() throws IOException {
        Set<Path> packages = new TreeSet<>();
        try (Stream<Path> paths = Files.walk(MAIN)) {
            paths.filter(p -> p.toString().endsWith(".java")).forEach(p -> packages.add(p.getParent()));
        }
        for (Path dir : packages) {
            Path info = dir.resolve("package-info.java");
            assertTrue(Files.isRegularFile(info), dir + " has no package-info.java");
            String text = Files.readString(info);
            assertTrue(text.contains("/**") && (text.contains("Public") || text.contains("public API")
                    || text.contains("Internal")), info + " must say whether the package is public or internal");
        }
    }
}
